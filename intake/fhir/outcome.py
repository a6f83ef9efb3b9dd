"""OperationOutcome: every problem of a request as one issue, naming where it is (FHIRPath) and why.

`field` is the contract path (C.2 syntax, `ha_types[0].side`) where one exists, else the linkId or element; the
issue's `expression` is a FHIRPath into the posted resource, by linkId
(`QuestionnaireResponse.item.where(linkId='ha_types')[0].item.where(linkId='ha_types.side')`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import codes

# Problem code -> FHIR IssueType. The first block is contract part D; the rest belong to the FHIR layer.
ISSUE_TYPE = {
    "not_json": "structure",
    "unreadable": "structure",
    "wrong_type": "value",
    "required": "required",
    "unknown_field": "structure",
    "not_allowed_value": "code-invalid",
    "out_of_range": "value",
    "wrong_length": "value",
    "duplicate": "duplicate",
    "inconsistent": "business-rule",
    "invalid_resource": "structure",
    "wrong_resource_type": "invalid",
    "wrong_questionnaire": "not-supported",
    "wrong_status": "business-rule",
    "unknown_subject": "not-found",
    "too_large": "too-long",
    "unsupported_media_type": "not-supported",
    "login": "login",
    "forbidden": "forbidden",
    "not_found": "not-found",
    "not_supported": "not-supported",
    "created": "informational",
}


@dataclass(frozen=True)
class Issue:
    problem: str
    message: str
    field: str = ""
    expression: str = ""
    severity: str = "error"

    def as_fhir(self) -> dict:
        text = f"{self.field}: {self.message}" if self.field else self.message
        issue = {
            "severity": self.severity,
            "code": ISSUE_TYPE.get(self.problem, "invalid"),
            "details": {"coding": [{"system": codes.CS_PROBLEM, "code": self.problem}], "text": text},
            "diagnostics": self.message,
        }
        if self.expression:
            issue["expression"] = [self.expression]
        return issue


def operation_outcome(issues: list[Issue]) -> dict:
    return {"resourceType": "OperationOutcome", "issue": [i.as_fhir() for i in issues]}


def single(problem: str, message: str, **kw) -> dict:
    return operation_outcome([Issue(problem, message, **kw)])


def quote(link_id: str) -> str:
    """A linkId as a FHIRPath string literal."""
    return "'" + link_id.replace("\\", "\\\\").replace("'", "\\'") + "'"


def by_link(expr: str, link_id: str) -> str:
    return f"{expr}.item.where(linkId={quote(link_id)})"


_TOKEN = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def expression_for(path: str, index: dict, root_expr: str = "QuestionnaireResponse") -> str:
    """The FHIRPath of the QuestionnaireResponse item holding the contract path `path` (an engine error's field).

    `index` maps linkId -> tree node. Walks the path: a name extends the linkId; an index selects an occurrence of
    a repeating group, a position of a fixed list (part of the linkId, `instruments.phq9[8]`) or an answer of a
    multiple-choice item. Stops at the deepest item it can name.
    """
    expr, node, pending = root_expr, None, ""
    for index_token, name in _TOKEN.findall(path or ""):
        if name:
            candidate = f"{pending}.{name}" if pending else name
            pending = candidate
            child = index.get(candidate)
            if child is not None:
                expr, node = by_link(expr, candidate), child
            continue
        if node is None:
            break
        if node.shape == "repeat" and pending == node.link_id:
            expr += f"[{index_token}]"
            continue
        candidate = f"{pending}[{index_token}]"
        child = index.get(candidate)
        if child is not None:
            expr, node, pending = by_link(expr, candidate), child, candidate
        elif node.shape == "codes":
            return f"{expr}.answer[{index_token}]"
        else:
            break
    return expr
