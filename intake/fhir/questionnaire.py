"""The intake as a FHIR R4 Questionnaire (GET /fhir/Questionnaire/intake), generated from the item tree.

- enableWhen comes from the schema's Conditions (conditions.py); an item whose condition FHIR's enableWhen cannot
  say gets the SDC enableWhenExpression instead, and every conditional item also carries the condition's own words
  (extension required-when).
- `required` is true for every field the contract requires (always, or whenever the item is enabled); every
  red-flag question is required and marked with the extension red-flag-question (reference.md §2.1).
- licensed questionnaires appear only with the clinic's active content pack, with its copyright statement on the
  group (extension instrument-copyright) and in Questionnaire.copyright (reference.md §1.3).
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.utils.translation import gettext as _

from intake import questions as words
from intake.triage import CONTRACT_VERSION

from . import codes
from .conditions import Atom, EnableRule, parse, rule_for
from .tree import Node, build, index


def _ordinal(value) -> list[dict]:
    return [{"url": codes.EXT_ORDINAL_VALUE, "valueDecimal": value}]


def _answer_options(node: Node) -> list[dict]:
    options = []
    for value, label in node.options:
        coding = {"system": codes.CS_ANSWER, "code": str(value)}
        if label:
            coding["display"] = label
        if node.shape == "int_code" and isinstance(value, int):  # not "no_headaches" (check-in nprs_head)
            coding["extension"] = _ordinal(value)
        option = {"valueCoding": coding}
        if node.read_only and len(node.options) == 1:
            option["initialSelected"] = True
        options.append(option)
    if node.shape == "codes":
        options.append({
            "extension": [{"url": codes.EXT_OPTION_EXCLUSIVE, "valueBoolean": True}],
            "valueCoding": {"system": codes.CS_ANSWER, "code": codes.NONE_OF_THESE,
                            "display": str(words.MSG["none_of_these"])},
        })
    return options


class _Builder:
    def __init__(self, root: Node):
        self.root = root
        self.index = index(root)

    def condition_of(self, link_id: str):
        node = self.index.get(link_id)
        if node is None:
            return None
        if node.condition is not None:
            return parse(node.condition.text)
        return node.enable

    def _enable_when(self, atom: Atom) -> dict:
        question = self.index[atom.question]
        entry = {"question": atom.question, "operator": atom.op}
        if question.type == "integer":
            entry["answerInteger"] = int(atom.value)
        elif question.type == "decimal":
            entry["answerDecimal"] = atom.value
        else:
            entry["answerCoding"] = {"system": codes.CS_ANSWER, "code": str(atom.value)}
        return entry

    def rule(self, node: Node) -> EnableRule | None:
        if node.condition is not None:
            return rule_for(parse(node.condition.text), self.condition_of)
        if node.enable is not None:
            return EnableRule(atoms=(node.enable,))
        return None

    def item(self, node: Node) -> dict:
        item: dict = {"linkId": node.link_id}
        extensions: list[dict] = []
        if node.loinc:
            item["code"] = [{"system": codes.LOINC, "code": node.loinc}]
        if node.text:
            item["text"] = node.text
        item["type"] = node.type
        rule = self.rule(node)
        if rule is not None and rule.atoms:
            item["enableWhen"] = [self._enable_when(a) for a in rule.atoms]
            if rule.behavior:
                item["enableBehavior"] = rule.behavior
        elif rule is not None:
            extensions.append({
                "url": codes.EXT_ENABLE_WHEN_EXPRESSION,
                "valueExpression": {"language": "text/fhirpath", "expression": rule.expression},
            })
        if node.condition is not None:
            extensions.append({"url": codes.EXT_REQUIRED_WHEN, "valueString": node.condition.text})
        if node.required:
            item["required"] = True
        if node.repeats:
            item["repeats"] = True
        if node.read_only:
            item["readOnly"] = True
        if node.max_length:
            item["maxLength"] = node.max_length
        if node.rf:
            extensions.append({"url": codes.EXT_RED_FLAG_QUESTION, "valueBoolean": True})
        value_key = "valueDecimal" if node.type == "decimal" else "valueInteger"
        if node.type in ("integer", "decimal"):
            if node.lo is not None:
                extensions.append({"url": codes.EXT_MIN_VALUE, value_key: node.lo})
            if node.hi is not None:
                extensions.append({"url": codes.EXT_MAX_VALUE, value_key: node.hi})
        if node.min_occurs is not None:
            extensions.append({"url": codes.EXT_MIN_OCCURS, "valueInteger": node.min_occurs})
        if node.max_occurs is not None:
            extensions.append({"url": codes.EXT_MAX_OCCURS, "valueInteger": node.max_occurs})
        if node.copyright:
            extensions.append({"url": codes.EXT_INSTRUMENT_COPYRIGHT, "valueMarkdown": node.copyright})
        if node.options:
            item["answerOption"] = _answer_options(node)
        children = []
        if node.help:
            children.append({
                "extension": [{
                    "url": codes.EXT_ITEM_CONTROL,
                    "valueCodeableConcept": {"coding": [{"system": codes.CS_ITEM_CONTROL, "code": "help"}]},
                }],
                "linkId": f"{node.link_id}.help",
                "text": node.help,
                "type": "display",
            })
        children += [self.item(child) for child in node.children]
        if children:
            item["item"] = children
        if extensions:
            item = {"extension": extensions, **item}
        return item


def _copyright(root: Node) -> str:
    lines = [_("Questions in the clinic's own words unless stated. Questionnaire wording:")]
    for node in index(root).values():
        if node.copyright:
            lines.append(f"- {node.text}: {node.copyright}")
    return "\n".join(lines)


def questionnaire_version(items: list) -> str:
    """Contract version plus a digest of the items: it changes when wording, packs or rules of asking change."""
    digest = hashlib.sha256(json.dumps(items, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]
    return f"{CONTRACT_VERSION}.{digest}"


def intake_questionnaire(packs: dict) -> dict:
    """The intake Questionnaire for the clinic's active content packs (wizard.active_packs())."""
    root = build(packs)
    builder = _Builder(root)
    items = [builder.item(child) for child in root.children]
    return {
        "resourceType": "Questionnaire",
        "id": codes.INTAKE_QUESTIONNAIRE_ID,
        "url": codes.INTAKE_QUESTIONNAIRE_URL,
        "version": questionnaire_version(items),
        "name": "ClinicIntake",
        "title": _("Clinic intake: low back pain and headache"),
        "status": "active",
        "subjectType": ["Patient"],
        "publisher": settings.CLINIC_NAME,
        "description": _(
            "The patient intake of the clinic intake app. linkIds are the field names of the triage contract "
            "(contract v1, part B); see docs/fhir.md."
        ),
        "copyright": _copyright(root),
        "language": settings.LANGUAGE_CODE,
        "item": items,
    }


def canonical(questionnaire: dict) -> str:
    return f"{questionnaire['url']}|{questionnaire['version']}"
