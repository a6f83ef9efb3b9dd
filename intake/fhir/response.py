"""Contract answers <-> QuestionnaireResponse items, by walking the item tree (tree.py).

Mapping rules (docs/fhir.md "Answers"):

- enum answers are `valueCoding` with system CS_ANSWER and the contract value as code;
- a list of codes is one answer per code; the empty list is the single answer `none_of_these` (leaving the item
  out means "not asked", which is a different thing for the engine);
- questionnaire items with labelled integer options are `valueCoding` whose code is the integer ("0".."3");
- other integers `valueInteger`, numbers `valueDecimal`, booleans `valueBoolean`, text `valueString`;
- a med_days class answered "not_sure" is an answer without a value carrying data-absent-reason asked-unknown;
- `ha_types[i].aura` null / object is the answer no / yes to `ha_types.has_aura`, the object its group;
- a null answer (`postpartum_weeks`, an unanswered CSI/ODI/NDI item) is an item left out.

Reading checks every item against the tree and reports every problem with its FHIRPath; the engine then validates
the assembled answers exactly as it validates the wizard's.
"""

from __future__ import annotations

import math
from decimal import Decimal

from intake.triage.schema import Condition

from . import codes
from .outcome import Issue, by_link
from .tree import Node

MISSING = object()
INVALID = object()

VALUE_KEY = {
    "code": "valueCoding",
    "codes": "valueCoding",
    "int_code": "valueCoding",
    "presence": "valueCoding",
    "int": "valueInteger",
    "med": "valueInteger",
    "decimal": "valueDecimal",
    "bool": "valueBoolean",
    "string": "valueString",
}


# ---------------------------------------------------------------- export
def _coding(node: Node, value) -> dict:
    code = str(value)
    labels = {str(v): label for v, label in node.options}
    coding = {"system": codes.CS_ANSWER, "code": code}
    if labels.get(code):
        coding["display"] = labels[code]
    return coding


def _answers(node: Node, value) -> list[dict]:
    shape = node.shape
    if shape == "codes":
        if not value:
            return [{"valueCoding": {"system": codes.CS_ANSWER, "code": codes.NONE_OF_THESE}}]
        return [{"valueCoding": _coding(node, v)} for v in value]
    if shape in ("code", "int_code", "presence"):
        return [{"valueCoding": _coding(node, value)}]
    if shape == "med" and value == "not_sure":
        return [{"extension": [{"url": codes.EXT_DATA_ABSENT_REASON, "valueCode": codes.ASKED_UNKNOWN}]}]
    if shape in ("int", "med"):
        return [{"valueInteger": int(value)}]
    if shape == "decimal":
        return [{"valueDecimal": value}]
    if shape == "bool":
        return [{"valueBoolean": value}]
    return [{"valueString": value}]


def _item(node: Node, **content) -> dict:
    item = {"linkId": node.link_id}
    if node.text:
        item["text"] = node.text
    item.update({k: v for k, v in content.items() if v})
    return item


def _object_items(node: Node, obj: dict) -> list[dict]:
    out: list[dict] = []
    for child in node.children:
        if child.key not in obj:
            continue
        value = obj[child.key]
        if child.shape == "presence":
            out.append(_item(child, answer=_answers(child, "yes" if isinstance(value, dict) else "no")))
        elif child.is_group and child.shape == "object" and child.key == "aura" and not isinstance(value, dict):
            continue  # aura: null is the answer "no" above
        else:
            out.extend(_value_items(child, value))
    return out


def _value_items(node: Node, value) -> list[dict]:
    if node.shape == "object":
        return [_item(node, item=_object_items(node, value))]
    if node.shape == "repeat":
        return [_item(node, item=_object_items(node, element)) for element in value]
    if node.shape == "list":
        children = []
        for child in node.children:
            if child.key < len(value) and value[child.key] is not None:
                children.extend(_value_items(child, value[child.key]))
        return [_item(node, item=children)]
    if value is None:
        return []  # null is an item left out (postpartum_weeks)
    return [_item(node, answer=_answers(node, value))]


def answers_to_items(root: Node, answers: dict) -> list[dict]:
    """QuestionnaireResponse.item for contract answers (validated answers, as stored on an Intake)."""
    return _object_items(root, answers)


# ---------------------------------------------------------------- import
class Reader:
    """Reads QuestionnaireResponse items into contract answers, collecting every problem."""

    def __init__(self, root: Node):
        self.root = root
        self.issues: list[Issue] = []

    def issue(self, problem: str, message: str, field: str, expression: str) -> None:
        self.issues.append(Issue(problem, message, field=field, expression=expression))

    def read(self, items: list, expr: str = "QuestionnaireResponse") -> dict:
        answers = self._object(self.root, items, expr, "")
        # A nullable answer left out is null when its question applies (the wizard's blank box, contract B.6).
        for child in self.root.children:
            if child.nullable and child.key not in answers and isinstance(child.condition, Condition):
                if child.condition(answers):
                    answers[child.key] = None
        return answers

    def _object(self, node: Node, items: list, expr: str, path: str) -> dict:
        out: dict = {}
        grouped: dict[str, list[dict]] = {}
        for item in items:
            link_id = item.get("linkId", "")
            if node.child(link_id) is None:
                self.issue("unknown_field", f"linkId {link_id!r} is not an item here in the intake Questionnaire",
                           link_id, by_link(expr, link_id))
                continue
            grouped.setdefault(link_id, []).append(item)
        presence = MISSING
        for child in node.children:
            found = grouped.get(child.link_id)
            if not found:
                continue
            cexpr = by_link(expr, child.link_id)
            cpath = f"{path}.{child.key}" if path else str(child.key)
            if len(found) > 1 and not child.repeats:
                self.issue("duplicate", f"{child.link_id} may occur only once, got {len(found)}", cpath, cexpr)
                continue
            if child.shape == "repeat":
                values = []
                for k, item in enumerate(found):
                    if self._group_ok(item, f"{cexpr}[{k}]", f"{cpath}[{k}]"):
                        values.append(self._object(child, item.get("item") or [], f"{cexpr}[{k}]", f"{cpath}[{k}]"))
                out[child.key] = values
            elif child.shape == "object":
                if self._group_ok(found[0], cexpr, cpath):
                    out[child.key] = self._object(child, found[0].get("item") or [], cexpr, cpath)
            elif child.shape == "list":
                if self._group_ok(found[0], cexpr, cpath):
                    out[child.key] = self._list(child, found[0].get("item") or [], cexpr, cpath)
            else:
                value = self._leaf(child, found[0], cexpr, cpath)
                if value is INVALID or value is MISSING:
                    continue
                if child.shape == "presence":
                    presence = value
                else:
                    out[child.key] = value
        if presence is not MISSING:
            # ha_types[i].aura: "no" -> null; "yes" -> the aura group (its missing keys are the engine's errors).
            aura_path = f"{path}.aura"
            if presence == "no":
                if isinstance(out.get("aura"), dict):
                    self.issue("inconsistent", "the aura group is answered but ha_types.has_aura is no", aura_path,
                               by_link(expr, "ha_types.aura"))
                out["aura"] = None
            else:
                out.setdefault("aura", {})
        return out

    def _group_ok(self, item: dict, expr: str, path: str) -> bool:
        if item.get("answer"):
            self.issue("wrong_type", "a group item has items, not answers", path, expr)
            return False
        return True

    def _list(self, node: Node, items: list, expr: str, path: str) -> list:
        values: list = [None] * len(node.children)
        seen: set[str] = set()
        for item in items:
            link_id = item.get("linkId", "")
            child = node.child(link_id)
            if child is None:
                self.issue("unknown_field", f"linkId {link_id!r} is not an item of {node.link_id}", link_id,
                           by_link(expr, link_id))
                continue
            cexpr, cpath = by_link(expr, link_id), f"{path}[{child.key}]"
            if link_id in seen:
                self.issue("duplicate", f"{link_id} may occur only once", cpath, cexpr)
                continue
            seen.add(link_id)
            value = self._leaf(child, item, cexpr, cpath)
            if value is not INVALID and value is not MISSING:
                values[child.key] = value
        return values

    def _leaf(self, node: Node, item: dict, expr: str, path: str):
        if item.get("item"):
            self.issue("unknown_field", f"{node.link_id} is a question; it has no nested items", path, expr)
            return INVALID
        answers = item.get("answer") or []
        if not answers:
            return MISSING
        if not node.repeats and len(answers) > 1:
            self.issue("wrong_length", f"{node.link_id} takes one answer, got {len(answers)}", path, expr)
            return INVALID
        values = []
        for k, answer in enumerate(answers):
            aexpr = f"{expr}.answer[{k}]"
            if answer.get("item"):
                self.issue("unknown_field", "answers have no nested items in this Questionnaire", path, aexpr)
                return INVALID
            value = self._value(node, answer, aexpr, path)
            if value is INVALID:
                return INVALID
            values.append(value)
        if node.shape != "codes":
            return values[0]
        if codes.NONE_OF_THESE in values:
            if len(values) > 1:
                self.issue("inconsistent", f"{codes.NONE_OF_THESE} cannot be combined with other answers", path, expr)
                return INVALID
            return []
        return values

    def _value(self, node: Node, answer: dict, expr: str, path: str):
        present = [k for k in answer if k.startswith("value")]
        expected = VALUE_KEY[node.shape]
        if not present:
            if node.shape == "med" and _asked_unknown(answer):
                return "not_sure"
            self.issue("required", "the answer has no value", path, expr)
            return INVALID
        got = present[0]
        raw = answer[got]
        if got != expected:
            self.issue("wrong_type", f"{node.link_id} is a {node.type} item: expected {expected}, got {got}", path,
                       f"{expr}.{got}")
            return INVALID
        vexpr = f"{expr}.{got}"
        if expected == "valueCoding":
            return self._coded(node, raw, vexpr, path)
        if expected == "valueInteger":
            if type(raw) is not int:
                return self._wrong_json(node, raw, "a JSON integer", vexpr, path)
            return raw
        if expected == "valueDecimal":
            if isinstance(raw, bool) or not isinstance(raw, (int, float, Decimal)):
                return self._wrong_json(node, raw, "a JSON number", vexpr, path)
            number = _number(raw)
            if number is None:
                self.issue("out_of_range", "the number is not finite", path, vexpr)
                return INVALID
            return number
        if expected == "valueBoolean":
            if type(raw) is not bool:
                return self._wrong_json(node, raw, "true or false", vexpr, path)
            return raw
        if not isinstance(raw, str):
            return self._wrong_json(node, raw, "a JSON string", vexpr, path)
        return raw

    def _wrong_json(self, node: Node, raw, what: str, expr: str, path: str):
        self.issue("wrong_type", f"{node.link_id}: expected {what}, got {_json_kind(raw)}", path, expr)
        return INVALID

    def _coded(self, node: Node, coding, expr: str, path: str):
        if not isinstance(coding, dict) or not isinstance(coding.get("code"), str):
            self.issue("required", "the coding has no code", path, expr)
            return INVALID
        system = coding.get("system")
        if system not in (None, codes.CS_ANSWER):
            self.issue("not_allowed_value", f"code system {system!r} is not {codes.CS_ANSWER}", path, f"{expr}.system")
            return INVALID
        code = coding["code"]
        if node.shape == "codes" and code == codes.NONE_OF_THESE:
            return code
        for value, _label in node.options:
            if str(value) == code:
                return value
        allowed = ", ".join(str(v) for v, _label in node.options)
        if node.shape == "codes":
            allowed += f", {codes.NONE_OF_THESE}"
        self.issue("not_allowed_value", f"{code!r} is not an answer option of {node.link_id} ({allowed})", path,
                   f"{expr}.code")
        return INVALID


def _json_kind(raw) -> str:
    if raw is None:
        return "null"
    if isinstance(raw, bool):
        return "true or false"
    if isinstance(raw, int):
        return "an integer"
    if isinstance(raw, (float, Decimal)):
        return "a number with a decimal point"
    if isinstance(raw, str):
        return "a string"
    return "a list" if isinstance(raw, list) else "an object"


def _asked_unknown(answer: dict) -> bool:
    for ext in answer.get("extension") or []:
        if ext.get("url") == codes.EXT_DATA_ABSENT_REASON and ext.get("valueCode") == codes.ASKED_UNKNOWN:
            return True
    return False


def _number(raw) -> int | float | None:
    """A JSON number as the engine takes it (2.0 -> 2); None when it is not finite."""
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            return None
        if raw == raw.to_integral_value() and abs(raw) < 10**15:
            return int(raw)
        raw = float(raw)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            return None
        return int(raw) if raw.is_integer() and abs(raw) < 10**15 else raw
    return raw


def items_to_answers(root: Node, items: list) -> tuple[dict, list[Issue]]:
    """Contract answers from QuestionnaireResponse.item (already checked by the FHIR library), and every problem."""
    reader = Reader(root)
    answers = reader.read(items)
    answers.setdefault("instruments", {})  # contract B.13: always present, {} when no questionnaire was given
    return answers, reader.issues
