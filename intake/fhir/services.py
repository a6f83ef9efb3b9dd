"""The FHIR interface's operations: read a posted resource, and store a QuestionnaireResponse as an intake.

A posted QuestionnaireResponse goes through four gates, each reporting every problem it finds as an
OperationOutcome issue: JSON (400), the FHIR library's R4 model (400), the intake Questionnaire (422: unknown
linkIds, answer types, options) and the triage engine's validation (422: the same checks as the wizard's, naming
the contract field). Only then is the patient matched or created and `intake_submit` called, exactly as for a
patient who filled the wizard.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from pydantic import ValidationError

from intake import services as intake_services
from intake.models import Intake, Patient
from intake.triage import InvalidInput, validate

from . import codes
from .models import PatientIdentifier, ResponseImport
from .outcome import Issue, expression_for
from .resources import model_class
from .response import items_to_answers
from .summary import base_url
from .tree import build, index

MAX_DEPTH = 64  # the deepest JSON the intake can need is about 8 levels; a deeper document is refused unread
MAX_IDENTIFIER = 255  # PatientIdentifier / ResponseImport columns


class Rejected(Exception):
    """The posted resource cannot be stored; `issues` says why, `status` is the HTTP status."""

    def __init__(self, status: int, issues: list[Issue]):
        self.status = status
        self.issues = issues
        super().__init__("; ".join(i.message for i in issues))


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _depth_ok(value) -> bool:
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return True


def _no_duplicate_keys(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise ValueError(f"the key {key!r} occurs twice in one object")
        obj[key] = value
    return obj


def parse_json(body: bytes):
    """The posted JSON. Decimals stay exact; NaN, Infinity and duplicate keys are refused (as the engine does)."""
    try:
        text = body.decode("utf-8")
        data = json.loads(text, parse_float=Decimal, parse_constant=_reject_constant,
                          object_pairs_hook=_no_duplicate_keys)
    except RecursionError:
        raise Rejected(400, [Issue("not_json", "the JSON is nested too deeply")]) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise Rejected(400, [Issue("not_json", f"the body is not valid JSON: {exc}")]) from None
    if not _depth_ok(data):
        raise Rejected(400, [Issue("not_json", f"the JSON is nested deeper than {MAX_DEPTH} levels")])
    return data


def _pydantic_expression(resource_type: str, loc: tuple) -> str:
    expr = resource_type
    for part in loc:
        if isinstance(part, int):
            expr += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(part)):
            expr += f".{part}"
    return expr


def check_resource(data, resource_type: str):
    """Validate `data` with the FHIR library's R4 model of `resource_type`; returns the model instance."""
    if not isinstance(data, dict):
        raise Rejected(400, [Issue("wrong_resource_type", f"expected a {resource_type} resource (a JSON object)")])
    got = data.get("resourceType")
    if got != resource_type:
        raise Rejected(400, [Issue("wrong_resource_type", f"expected resourceType {resource_type}, got {got!r}",
                                   field="resourceType", expression=f"{resource_type}.resourceType")])
    try:
        return model_class(resource_type).model_validate(data)
    except ValidationError as exc:
        issues = []
        for error in exc.errors()[:100]:
            loc = tuple(p for p in error.get("loc", ()) if p != "__root__")
            where = ".".join(str(p) for p in loc)
            issues.append(Issue("invalid_resource", str(error.get("msg", "invalid")), field=where,
                                expression=_pydantic_expression(resource_type, loc)))
        raise Rejected(400, issues) from None
    except (TypeError, ValueError, RecursionError) as exc:
        raise Rejected(400, [Issue("invalid_resource", f"not a valid {resource_type}: {exc}")]) from None


# ---------------------------------------------------------------- the subject
@dataclass
class SubjectPlan:
    """Which patient a response is about: an existing one, or one to create with these details."""

    patient: Patient | None = None
    identifiers: list[tuple[str, str]] = field(default_factory=list)  # (system, value) to record
    details: dict = field(default_factory=dict)  # first_name, last_name, date_of_birth, email of a new patient


def _identifier_pairs(identifiers) -> list[tuple[str, str]]:
    pairs = []
    for ident in identifiers or []:
        if isinstance(ident, dict) and isinstance(ident.get("system"), str) and isinstance(ident.get("value"), str):
            pairs.append((ident["system"], ident["value"]))
    return pairs


def _local_pk(value: str) -> int | None:
    return int(value) if re.fullmatch(r"[1-9][0-9]{0,17}", value or "") else None


def _by_identifiers(pairs: list[tuple[str, str]]) -> Patient | None:
    for system, value in pairs:
        if system == codes.SID_PATIENT:
            pk = _local_pk(value)
            patient = Patient.objects.filter(pk=pk).first() if pk else None
            if patient is not None:
                return patient
    for system, value in pairs:
        match = PatientIdentifier.objects.select_related("patient").filter(system=system, value=value).first()
        if match is not None:
            return match.patient
    return None


def _details(contained: dict) -> dict:
    details: dict = {}
    names = contained.get("name") or []
    if names and isinstance(names[0], dict):
        details["last_name"] = str(names[0].get("family") or "")[:100]
        given = names[0].get("given") or []
        details["first_name"] = str(given[0])[:100] if given else ""
    if isinstance(contained.get("birthDate"), str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", contained["birthDate"]):
        try:
            details["date_of_birth"] = date.fromisoformat(contained["birthDate"])
        except ValueError:
            pass  # not a calendar date: left blank rather than guessed
    for telecom in contained.get("telecom") or []:
        if isinstance(telecom, dict) and telecom.get("system") == "email" and isinstance(telecom.get("value"), str):
            details["email"] = telecom["value"][:254]
            break
    return details


def _too_long(pairs: list[tuple[str, str]], where: str, expr: str) -> list[Issue]:
    return [Issue("out_of_range", f"identifier system and value may have at most {MAX_IDENTIFIER} characters",
                  field=where, expression=expr)
            for system, value in pairs if len(system) > MAX_IDENTIFIER or len(value) > MAX_IDENTIFIER][:1]


def resolve_subject(data: dict) -> tuple[SubjectPlan | None, list[Issue]]:
    """The patient of `QuestionnaireResponse.subject`: `Patient/<id>` of this install, an identifier (matched to a
    patient, or a new one), or a contained Patient (`#id`) with an identifier and, for a new patient, details."""
    subject = data.get("subject")
    where, expr = "subject", "QuestionnaireResponse.subject"
    if not isinstance(subject, dict) or not (subject.get("reference") or subject.get("identifier")):
        return None, [Issue("required", "the subject (the patient) is required: a reference or an identifier",
                            field=where, expression=expr)]
    reference = subject.get("reference") or ""
    if reference.startswith("#"):
        contained = next((r for r in data.get("contained") or []
                          if isinstance(r, dict) and r.get("resourceType") == "Patient"
                          and r.get("id") == reference[1:]), None)
        if contained is None:
            return None, [Issue("unknown_subject", f"no contained Patient with id {reference[1:]!r}", field=where,
                                expression=f"{expr}.reference")]
        pairs = _identifier_pairs(contained.get("identifier"))
        contained_expr = "QuestionnaireResponse.contained.where(resourceType='Patient')"
        if not pairs:
            return None, [Issue("required", "the contained Patient needs an identifier (system and value)",
                                field=where, expression=contained_expr)]
        if _too_long(pairs, where, contained_expr):
            return None, _too_long(pairs, where, contained_expr)
        patient = _by_identifiers(pairs)
        return SubjectPlan(patient=patient, identifiers=pairs, details={} if patient else _details(contained)), []
    if reference:
        local = reference.removeprefix(base_url() + "/")
        match = re.fullmatch(r"Patient/([^/]+)", local)
        pk = _local_pk(match.group(1)) if match else None
        patient = Patient.objects.filter(pk=pk).first() if pk else None
        if patient is None:
            return None, [Issue("unknown_subject", f"{reference!r} is not a patient of this clinic", field=where,
                                expression=f"{expr}.reference")]
        return SubjectPlan(patient=patient), []
    pairs = _identifier_pairs([subject.get("identifier")])
    if not pairs:
        return None, [Issue("required", "the subject identifier needs a system and a value", field=where,
                            expression=f"{expr}.identifier")]
    if _too_long(pairs, where, f"{expr}.identifier"):
        return None, _too_long(pairs, where, f"{expr}.identifier")
    if pairs[0][0] == codes.SID_PATIENT and _by_identifiers(pairs) is None:
        return None, [Issue("unknown_subject", f"patient {pairs[0][1]!r} does not exist in this clinic", field=where,
                            expression=f"{expr}.identifier")]
    patient = _by_identifiers(pairs)
    return SubjectPlan(patient=patient, identifiers=[] if patient else pairs), []


# ---------------------------------------------------------------- the response
@dataclass
class Imported:
    intake: Intake
    created: bool
    patient_created: bool = False


def _questionnaire_issues(data: dict) -> list[Issue]:
    issues = []
    reference = data.get("questionnaire")
    if not isinstance(reference, str) or reference.split("|", 1)[0] != codes.INTAKE_QUESTIONNAIRE_URL:
        issues.append(Issue("wrong_questionnaire", f"questionnaire must be {codes.INTAKE_QUESTIONNAIRE_URL} "
                            "(optionally |version)", field="questionnaire",
                            expression="QuestionnaireResponse.questionnaire"))
    if data.get("status") != "completed":
        issues.append(Issue("wrong_status", f"only a completed response is an intake; status is "
                            f"{data.get('status')!r}", field="status", expression="QuestionnaireResponse.status"))
    return issues


def _existing(data: dict) -> tuple[str, str] | None:
    ident = data.get("identifier")
    pairs = _identifier_pairs([ident]) if isinstance(ident, dict) else []
    return pairs[0] if pairs else None


def _engine_issues(errors, links: dict) -> list[Issue]:
    """The engine's FieldErrors (contract part D) as issues pointing at their items."""
    return [Issue(e.problem, e.message, field=e.field, expression=expression_for(e.field, links)) for e in errors]


def questionnaire_response_import(*, data: dict, packs: dict, user=None, api_token=None) -> Imported:
    """Store a posted QuestionnaireResponse (already checked by `check_resource`) as a triaged intake.

    Raises Rejected (422) naming every problem; nothing is stored then. With `identifier`, a second post of the
    same response returns the first intake (created=False).
    """
    identifier = _existing(data)
    if identifier is not None and _too_long([identifier], "identifier", "QuestionnaireResponse.identifier"):
        raise Rejected(422, _too_long([identifier], "identifier", "QuestionnaireResponse.identifier"))
    if identifier is not None:
        done = ResponseImport.objects.filter(identifier_system=identifier[0], identifier_value=identifier[1]).first()
        if done is not None:
            return Imported(intake=done.intake, created=False)
    issues = _questionnaire_issues(data)
    plan, subject_issues = resolve_subject(data)
    issues += subject_issues
    root = build(packs)
    links = index(root)
    answers, item_issues = items_to_answers(root, data.get("item") or [])
    issues += item_issues
    if not item_issues:
        # The engine's own validation, the same as for the wizard: every error named by field, mapped to its item.
        issues += _engine_issues(validate(answers)[1], links)
    if issues:
        raise Rejected(422, issues)
    try:
        with transaction.atomic():
            patient, patient_created = plan.patient, False
            if patient is None:
                patient = Patient.objects.create(**plan.details)
                patient_created = True
            for system, value in plan.identifiers:
                PatientIdentifier.objects.get_or_create(system=system, value=value, defaults={"patient": patient})
            # The sending system collected the answers and is responsible for the patient's privacy consent (its
            # agreement with the clinic); check-ins need the patient's own opt-in, so none is assumed.
            intake = intake_services.intake_submit(patient=patient, answers=answers, privacy_accepted=True,
                                                   checkins_opt_in=False)
            ResponseImport.objects.create(
                intake=intake,
                identifier_system=identifier[0] if identifier else "",
                identifier_value=identifier[1] if identifier else "",
                api_token=api_token,
                user=user,
                authored=str(data.get("authored") or "")[:40],
            )
    except InvalidInput as exc:  # validated above; kept so that a change in intake_submit cannot become a 500
        raise Rejected(422, _engine_issues(exc.errors, links)) from None
    except IntegrityError:
        # The same identifier was posted twice at once: the first one stands.
        if identifier is None:
            raise
        done = ResponseImport.objects.filter(identifier_system=identifier[0], identifier_value=identifier[1]).first()
        if done is None:
            raise
        return Imported(intake=done.intake, created=False)
    return Imported(intake=intake, created=True, patient_created=patient_created)
