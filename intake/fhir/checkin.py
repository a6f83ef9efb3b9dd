"""The follow-up check-ins as FHIR: one Questionnaire per time point (`Questionnaire/checkin-week6`), an answered
check-in as a QuestionnaireResponse (`QuestionnaireResponse/checkin-<response id>`), and its follow-up summary as an
overall-tier Observation, one Observation per measure and PGIC, and one Flag per new red flag (docs/fhir.md).

Generated from the definitions that build the check-in form: `intake/triage/checkin_schema.py` (which answers exist,
their types, values, ranges and "required when") and the form's wording (`intake/checkins/forms.py`, the intake's
`intake/questions.py` for the part-B re-screen questions).

linkIds are the check-in answer field names (docs/checkin-contract.md B.3): `nprs_back`, `med_days_window.triptan`,
`instruments.phq4[0]`, `instruments.psfs.score`.

**Conditions.** A check-in Condition reads the baseline and the answers (`baseline has_back_pain = yes AND
new_event_injury = yes`). The Questionnaire is patient-independent, so each Condition is split in two:

- the *baseline context* (names that are not check-in answers: the baseline's presence gates, its migraine phenotype,
  the questionnaires it holds) goes into the extension `checkin-baseline-condition` (`condition`: its words;
  `combine`: `all` = the item exists only when the context holds, and then its enableWhen applies; `any` = when the
  context holds the item is always asked, otherwise its enableWhen decides). The server evaluates it when it renders
  the form for a patient (`context_holds`);
- the *answer* part becomes enableWhen (conditions.py), or the SDC enableWhenExpression where enableWhen cannot say it.

The time point is not a condition here: each time point has its own Questionnaire (recall window, PHQ-4 from 6 weeks).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from intake import questions as words
from intake.checkins import forms as checkin_forms
from intake.content import shippable
from intake.triage import checkin_schema as cs
from intake.triage.instruments import INSTRUMENTS
from intake.triage.schema import CAD_ITEMS, MED_CLASSES, OPTIONAL, Condition

from . import codes
from .conditions import AllOf, AnyOf, Atom, EnableRule, Expr, UnsupportedCondition, parse, rule_for
from .questionnaire import _Builder, canonical, questionnaire_version
from .response import answers_to_items
from .summary import SCORE_UNIT, SURVEY, _entry, _instant, _ref, flag_resource, patient_resource
from .tree import Node, _field_node, _instruments_group, _s, _shipped

PREFIX = "checkin-"
BASELINE = "baseline."  # context atoms: Atom("baseline.has_back_pain", "=", "yes")
PHQ4_SUBSCALES = ((0, 1), (2, 3))  # anxiety (GAD-2), depression (PHQ-2): instruments.phq4 score()

# Phrases of checkin_schema's Condition texts that name a set or a baseline fact (conditions.SPECIAL, for check-ins).
CHECKIN_SPECIAL: dict[str, Expr] = {
    "migraine phenotype at baseline": Atom(f"{BASELINE}migraine_phenotype", "=", "yes"),
    "any CAD item is yes": AnyOf(tuple(Atom(n, "=", "yes") for n in CAD_ITEMS)),
    "any POST-TX-NEURO item is yes": AnyOf(
        tuple(Atom(n, "=", "yes") for n in (*cs.POST_TX_ITEMS, *cs.POST_TX_EXTRA, cs.POST_TX_NAUSEA))
    ),
    # cs.CONFUSION: its words say "(headache)" for "baseline has_headache = yes AND ...".
    "fever = yes OR head_neck_trauma = yes (headache)": AllOf((
        Atom("has_headache", "=", "yes"),
        AnyOf((Atom("fever", "=", "yes"), Atom("head_neck_trauma", "=", "yes"))),
    )),
}
# The instruments the check-in form asks (§6.1 item 9, from 6 weeks), and when.
PHQ_CASCADE = "a PHQ-4 subscale is 3 or more"
RMDQ_CONTEXT = Condition(
    "baseline has_back_pain = yes AND baseline instruments.rmdq given",
    lambda v: v.get("has_back_pain") == "yes" and "rmdq" in (v.get("_instruments") or {}),
)
PSFS_CONTEXT = Condition("baseline instruments.psfs given", lambda v: "psfs" in (v.get("_instruments") or {}))
# ... and the phrases of their baseline context (after the word "baseline" is dropped, see split()).
CONTEXT_PHRASES: dict[str, Expr] = {
    "instruments.rmdq given": Atom(f"{BASELINE}instruments.rmdq", "=", "given"),
    "instruments.psfs given": Atom(f"{BASELINE}instruments.psfs", "=", "given"),
}


def questionnaire_id(time_point: str) -> str:
    return f"{PREFIX}{time_point}"


def questionnaire_url(time_point: str) -> str:
    return f"{codes.BASE}/Questionnaire/{questionnaire_id(time_point)}"


# ---------------------------------------------------------------- conditions: baseline context + answers
@dataclass(frozen=True)
class Split:
    """A check-in condition as the Questionnaire says it."""

    text: str  # the schema's own words (extension required-when)
    context: Expr | None = None  # baseline part, evaluated by the server
    combine: str = "all"  # "all": context AND answers; "any": context OR answers
    answer: Expr | None = None  # answer part -> enableWhen
    expression: str | None = None  # an answer part enableWhen cannot say, as FHIRPath


def _is_context(expr: Expr) -> bool:
    if isinstance(expr, Atom):
        return expr.question.startswith(BASELINE)
    return all(_is_context(p) for p in expr.parts)


def _has_context(expr: Expr) -> bool:
    if isinstance(expr, Atom):
        return expr.question.startswith(BASELINE)
    return any(_has_context(p) for p in expr.parts)


def _mark_baseline(expr: Expr, answer_names: set[str]) -> Expr:
    """Names that are not check-in answers are baseline facts (`has_back_pain`, `leg_pain`, ...)."""
    if isinstance(expr, Atom):
        if expr.question in answer_names or expr.question.startswith(BASELINE):
            return expr
        return Atom(f"{BASELINE}{expr.question}", expr.op, expr.value)
    return type(expr)(tuple(_mark_baseline(p, answer_names) for p in expr.parts))


def _join(parts: list[Expr], kind) -> Expr | None:
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else kind(tuple(parts))


def split(text: str, answer_names: set[str]) -> Split:
    """Split a check-in Condition text into its baseline context and its answer part (module docstring)."""
    # "baseline" marks context words, but which names are baseline facts is decided by the field table:
    # `baseline neck_pain = yes OR has_headache = yes OR neck_treatment_since_last = yes` has all three kinds.
    expr = _mark_baseline(parse(text.replace("baseline ", ""), {**CHECKIN_SPECIAL, **CONTEXT_PHRASES}), answer_names)
    if _is_context(expr):
        return Split(text, context=expr)
    if not _has_context(expr):
        return Split(text, answer=expr)
    if isinstance(expr, (AllOf, AnyOf)):
        context = [p for p in expr.parts if _is_context(p)]
        answer = [p for p in expr.parts if not _has_context(p)]
        if len(context) + len(answer) == len(expr.parts):
            kind = type(expr)
            return Split(text, context=_join(context, kind), combine="all" if kind is AllOf else "any",
                         answer=_join(answer, kind))
    raise UnsupportedCondition(text)


def context_text(expr: Expr) -> str:
    if isinstance(expr, Atom):
        name = expr.question.removeprefix(BASELINE)
        if name == "migraine_phenotype":
            return "migraine phenotype at baseline"
        if expr.value == "given":
            return f"baseline {name} given"
        return f"baseline {name} {expr.op} {expr.value}"
    word = " AND " if isinstance(expr, AllOf) else " OR "
    return word.join(f"({context_text(p)})" if not isinstance(p, Atom) else context_text(p) for p in expr.parts)


def context_holds(expr: Expr, view: dict) -> bool:
    """The server's evaluation of a baseline context for one patient. `view`: checkin_schema.baseline_view() plus
    `_instruments`, the baseline's questionnaires (what CheckInForm reads)."""
    if isinstance(expr, Atom):
        name = expr.question.removeprefix(BASELINE)
        if name == "migraine_phenotype":
            return view.get("_migraine") is True
        if name.startswith("instruments."):
            return name.split(".", 1)[1] in (view.get("_instruments") or {})
        return view.get(name) == expr.value
    results = [context_holds(p, view) for p in expr.parts]
    return all(results) if isinstance(expr, AllOf) else any(results)


def _phq_cascade_expression() -> str:
    def item(i: int) -> str:
        return f"%resource.repeat(item).where(linkId='instruments.phq4[{i}]').answer.value.code.toInteger()"

    return " or ".join(f"({item(a)} + {item(b)} >= 3)" for a, b in PHQ4_SUBSCALES)


# ---------------------------------------------------------------- the item tree
TOPIC_OF = {name: question for question, items in checkin_forms.TOPICS.values() for name in items}


def _wording(name: str) -> tuple[str, str]:
    """(text, help) of a check-in answer, as the check-in form words it."""
    if name in ("fever", "fever_recent"):
        return _s(checkin_forms.QUESTIONS["fever_any"]), ""
    if name in checkin_forms.ITEM_LABELS:
        return _s(checkin_forms.ITEM_LABELS[name]), _s(TOPIC_OF.get(name, ""))
    if name in checkin_forms.QUESTIONS:
        return _s(checkin_forms.QUESTIONS[name]), ""
    if name in words.NPRS:
        return _s(words.NPRS[name].label), _s(words.NPRS[name].help)
    text = words.Q.get(name)
    return (_s(text.label), _s(text.help)) if text else (name, "")


def _window_items(window: int) -> dict[str, tuple[str, str]]:
    return {
        "ha_days_window": (_("In the last %(n)s days, on how many days did you have any headache?") % {"n": window},
                           ""),
        "migraine_days_window": (_("And on how many of those days did you have your main (worst) kind of headache?"),
                                 ""),
        "pgic": (_("Since you started care, how would you describe the change in your problem overall?"), ""),
    }


def _med_group(window: int) -> Node:
    children = []
    for key in cs.MED_KEYS:
        if key in MED_CLASSES:
            label, help_text = _s(checkin_forms.MED_LABELS[key]), _("Days")
        elif key == "any_acute":
            label = _("In the last %(n)s days, on how many days did you take any painkiller or headache medicine?") % {
                "n": window}
            help_text = _("Enter 0 for none.")
        else:
            text = words.Q.get(f"med_days.{key}")
            label, help_text = (_s(text.label), _s(text.help)) if text else (key, "")
        children.append(Node(link_id=f"med_days_window.{key}", type="integer", text=label, help=help_text, key=key,
                             shape="med" if key in MED_CLASSES else "int", required=key != "nonopioid_any",
                             lo=0, hi=window))
    return Node(link_id="med_days_window", type="group", text=_("Medicines"),
                help=_("Whatever the reason you took them."), key="med_days_window", shape="object", required=True,
                children=children)


def _instruments_node(weeks: int, *, everything: bool) -> tuple[Node | None, dict[str, Split]]:
    """§6.1 item 9 from 6 weeks: PHQ-4, its PHQ-9 / GAD-7 cascade, RMDQ and PSFS as at baseline."""
    splits: dict[str, Split] = {}
    children: list[Node] = []
    if weeks >= cs.EXTENDED_FROM_WEEK:
        phq4 = _shipped("phq4")
        phq4.required = True
        children.append(phq4)
        for key in ("phq9", "gad7"):
            node = _shipped(key)
            node.required = True  # when enabled
            splits[node.link_id] = Split(PHQ_CASCADE, expression=_phq_cascade_expression())
            children.append(node)
        rmdq = _shipped("rmdq")
        splits[rmdq.link_id] = split(RMDQ_CONTEXT.text, set())
        children.append(rmdq)
        psfs = _shipped("psfs")
        activity = psfs.child("instruments.psfs.activity")
        activity.read_only = True
        activity.help = _s(_("One of the activities the patient named at the start (filled in by the clinic)."))
        splits[psfs.link_id] = split(PSFS_CONTEXT.text, set())
        children.append(psfs)
    if everything:
        # Export only: any other questionnaire the contract accepts at follow-up (never published with wording).
        have = {c.link_id for c in children}
        children += [c for c in _instruments_group({}, True).children if c.link_id not in have]
        for c in children:
            c.condition = None
    if not children:
        return None, splits
    node = Node(link_id="instruments", type="group", text=_("Questionnaires"), key="instruments", shape="object",
                required=weeks >= cs.EXTENDED_FROM_WEEK and not everything, children=children)
    return node, splits


def build(time_point: str, *, everything: bool = False) -> tuple[Node, dict[str, Split]]:
    """The check-in of `time_point` as an item tree, and how each conditional item is enabled (by linkId)."""
    tp = cs.TIME_POINTS[time_point]
    window, weeks = tp["window_days"], tp["weeks"]
    answer_names = set(cs.FIELD_BY_KEY)
    splits: dict[str, Split] = {}
    children: list[Node] = []
    local = _window_items(window)
    for spec in cs.FIELDS:
        name = spec.name
        if name == "med_days_window":
            children.append(_med_group(window))
            continue
        if name == "instruments":
            node, inst_splits = _instruments_node(weeks, everything=everything)
            if node is not None:
                children.append(node)
                splits.update(inst_splits)
            continue
        text, help_text = local.get(name) or _wording(name)
        if name == "nprs_head":
            node = Node(link_id=name, type="choice", text=text, help=help_text, key=name, shape="int_code",
                        required=True, options=(("no_headaches", _s(_("No headaches in the last week"))),
                                                *((n, str(n)) for n in range(11))))
        elif name == "pgic":
            node = Node(link_id=name, type="choice", text=text, help=help_text, key=name, shape="int_code",
                        required=True, options=tuple((int(v), _s(label)) for v, label in checkin_forms.PGIC))
        elif spec.kind == "text":
            node = Node(link_id=name, type="text" if name == "free_text" else "string", text=text, help=help_text,
                        key=name, shape="string", required=spec.required is not OPTIONAL, max_length=int(spec.hi))
        else:
            node = _field_node(spec, name, name, name)
            node.text, node.help = text, help_text or node.help
            if name in ("ha_days_window", "migraine_days_window"):
                node.hi = window
            if name == "onset_to_peak":
                labels = {**words.CHOICES["onset_to_peak"], **checkin_forms.ONSET_LABELS}
                node.options = tuple((v, _s(labels.get(v, v))) for v in spec.values)
            if name == "procedure_type":
                node.options = tuple((v, _s(checkin_forms.PROCEDURE_LABELS.get(v, v))) for v in spec.values)
        node.rf = spec.rf
        if isinstance(spec.required, Condition):
            node.condition = spec.required
            splits[name] = split(spec.required.text, answer_names)
        children.append(node)
    if everything:
        splits = {}
    return Node(link_id="", type="group", text="", key=None, shape="object", children=children), splits


class _CheckInBuilder(_Builder):
    def __init__(self, root: Node, splits: dict[str, Split]):
        super().__init__(root)
        self.splits = splits

    def condition_of(self, link_id: str):
        """What enables an item (baseline context included, so rule_for never drops an outer condition that the
        context can make true on its own)."""
        s = self.splits.get(link_id)
        if s is None:
            return None
        parts = [p for p in (s.context, s.answer) if p is not None]
        return _join(parts, AllOf if s.combine == "all" else AnyOf)

    def rule(self, node: Node) -> EnableRule | None:
        s = self.splits.get(node.link_id)
        if s is None:
            return None
        if s.expression:
            return EnableRule(expression=s.expression)
        if s.answer is None:
            return None
        return rule_for(s.answer, self.condition_of)

    def item(self, node: Node) -> dict:
        item = super().item(node)
        s = self.splits.get(node.link_id)
        if s is None:
            return item
        extensions = list(item.pop("extension", []))
        if node.condition is None:
            extensions.append({"url": codes.EXT_REQUIRED_WHEN, "valueString": s.text})
        if s.context is not None:
            extensions.append({"url": codes.EXT_CHECKIN_BASELINE_CONDITION, "extension": [
                {"url": "condition", "valueString": context_text(s.context)},
                {"url": "combine", "valueCode": s.combine},
            ]})
        return {"extension": extensions, **item}


def _copyright() -> str:
    data = shippable.SHIPPED["phq4"]
    return "\n".join([
        _("Questions in the clinic's own words unless stated. Questionnaire wording:"),
        f"- {_s(data['title'])}, {_s(shippable.SHIPPED['phq9']['title'])}, "
        f"{_s(shippable.SHIPPED['gad7']['title'])}: {_s(data['attribution'])}",
        f"- {_s(shippable.RMDQ['title'])}: {_s(shippable.RMDQ['attribution'])}",
    ])


def checkin_questionnaire(time_point: str) -> dict:
    """GET /fhir/Questionnaire/checkin-<time point>: the check-in as the form asks it, for any patient."""
    root, splits = build(time_point)
    builder = _CheckInBuilder(root, splits)
    items = [builder.item(child) for child in root.children]
    tp = cs.TIME_POINTS[time_point]
    resource = {
        "resourceType": "Questionnaire",
        "id": questionnaire_id(time_point),
        "url": questionnaire_url(time_point),
        "version": questionnaire_version(items),
        "name": f"ClinicCheckInWeek{tp['weeks']}",
        "title": _("Clinic check-in at %(weeks)s weeks") % {"weeks": tp["weeks"]},
        "status": "active",
        "subjectType": ["Patient"],
        "publisher": settings.CLINIC_NAME,
        "description": _(
            "The follow-up check-in at %(weeks)s weeks (day %(from)s–%(to)s after the intake; recall window "
            "%(window)s days). linkIds are the check-in answer names of the follow-up contract (part B.3). Items "
            "marked with the extension checkin-baseline-condition depend on the patient's baseline intake and are "
            "evaluated by the clinic's server when it renders the form; see docs/fhir.md."
        ) % {"weeks": tp["weeks"], "from": tp["from_day"], "to": tp["to_day"], "window": tp["window_days"]},
        "language": settings.LANGUAGE_CODE,
        "item": items,
    }
    if tp["weeks"] >= cs.EXTENDED_FROM_WEEK:
        resource["copyright"] = _copyright()
    return resource


def time_point_of(questionnaire_id_: str) -> str | None:
    tp = questionnaire_id_.removeprefix(PREFIX) if questionnaire_id_.startswith(PREFIX) else None
    return tp if tp in cs.TIME_POINTS else None


# ---------------------------------------------------------------- an answered check-in
def response_id(response) -> str:
    return f"{PREFIX}{response.pk}"


def checkin_questionnaire_response(response, questionnaire: dict | None = None) -> dict:
    """An answered check-in (CheckInResponse) as a QuestionnaireResponse; every stored answer is exported."""
    checkin = response.checkin
    questionnaire = questionnaire or checkin_questionnaire(checkin.time_point)
    root, _splits = build(checkin.time_point, everything=True)
    resource = {
        "resourceType": "QuestionnaireResponse",
        "id": response_id(response),
        "extension": [{"url": codes.EXT_CHECKIN_BASELINE,
                       "valueReference": _ref("QuestionnaireResponse", checkin.plan.intake_id)}],
        "questionnaire": canonical(questionnaire),
        "status": "completed",
        "subject": _ref("Patient", response.patient_id),
        "authored": _instant(response.submitted_at),
        "source": _ref("Patient", response.patient_id),
        "item": answers_to_items(root, response.answers),
    }
    if not resource["item"]:
        del resource["item"]
    return resource


@dataclass(frozen=True)
class _Owner:
    """What flag_resource reads of an intake, for a check-in response."""

    pk: str
    patient_id: int
    submitted_at: object


def _measure_name(measure: str) -> str:
    if measure in ("nprs_back", "nprs_head"):
        return f"{INSTRUMENTS[measure].NAME}, {'back' if measure == 'nprs_back' else 'head'}"
    if measure in INSTRUMENTS:
        return INSTRUMENTS[measure].NAME
    return {"headache_days": "Headache days per 28 days", "migraine_days": "Migraine days per 28 days",
            "pgic": "Patient Global Impression of Change (PGIC)"}.get(measure, measure)


def _number(value) -> dict:
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, int):
        return {"valueInteger": value}
    return {"valueQuantity": {"value": value, **SCORE_UNIT}}


def _part(measure: str, part: str, value) -> dict | None:
    code = {"coding": [{"system": codes.CS_SCORE_PART, "code": f"{measure}.{part}"}], "text": part}
    if value is None or value == []:
        return None
    if part == "status":
        return {"code": code, "valueCodeableConcept": {"coding": [{"system": codes.CS_CHANGE_STATUS,
                                                                   "code": value}], "text": value}}
    if isinstance(value, (bool, int, float)):
        return {"code": code, **_number(value)}
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return {"code": code, "valueString": str(value)}


def _observation(response, suffix: str, code: dict, **content) -> dict:
    return {
        "resourceType": "Observation",
        "id": f"{response_id(response)}-{suffix}",
        "status": "final",
        "category": [SURVEY],
        "code": code,
        "subject": _ref("Patient", response.patient_id),
        "effectiveDateTime": _instant(response.submitted_at),
        "derivedFrom": [_ref("QuestionnaireResponse", response_id(response))],
        **content,
    }


def measure_observation(response, entry: dict) -> dict:
    """One contract C.4 `changes` entry: the follow-up value, with the baseline, delta, % and change status."""
    measure = entry["measure"]
    name = _measure_name(measure)
    coding = []
    if measure in codes.LOINC_TOTALS:
        loinc, display = codes.LOINC_TOTALS[measure]
        coding.append({"system": codes.LOINC, "code": loinc, "display": display})
    if measure in INSTRUMENTS:
        coding.append({"system": codes.CS_INSTRUMENT_SCORE, "code": measure, "display": f"{name} total"})
    coding.append({"system": codes.CS_FOLLOWUP_MEASURE, "code": measure, "display": name})
    content: dict = {}
    if measure in ("nprs_back", "nprs_head"):
        content["bodySite"] = {"text": "low back" if measure == "nprs_back" else "head"}
    if entry.get("followup") is None:
        content["dataAbsentReason"] = {"coding": [{"system": codes.CS_DATA_ABSENT_REASON, "code": "unknown"}]}
    else:
        content.update(_number(entry["followup"]))
    parts = [_part(measure, part, entry.get(part)) for part in ("baseline", "delta", "pct", "status", "reason",
                                                                 "caveats")]
    content["component"] = [p for p in parts if p]
    return _observation(response, f"score-{measure.replace('_', '-')}", {"coding": coding, "text": name}, **content)


def pgic_observation(response, pgic: dict) -> dict:
    code = {"coding": [{"system": codes.CS_FOLLOWUP_MEASURE, "code": "pgic", "display": _measure_name("pgic")}],
            "text": _measure_name("pgic")}
    responder = {"code": {"coding": [{"system": codes.CS_SCORE_PART, "code": "pgic.responder"}], "text": "responder"},
                 "valueBoolean": pgic["responder"]}
    return _observation(response, "score-pgic", code, valueInteger=pgic["value"], component=[responder])


def overall_observation(response) -> dict:
    code = {"coding": [{"system": codes.CS_TRIAGE_SUMMARY, "code": "overall-tier", "display": "Overall triage tier"}],
            "text": "Overall triage tier"}
    summary = response.summary
    if not summary:
        return _observation(response, "overall-tier", code,
                            dataAbsentReason={"coding": [{"system": codes.CS_DATA_ABSENT_REASON, "code": "error"}]},
                            note=[{"text": "Summary failed — review manually."}])
    tier = summary["overall_tier"]
    return _observation(
        response, "overall-tier", code,
        extension=[{"url": codes.EXT_RULES_VERSION, "valueString": summary["rules_version"]}],
        valueCodeableConcept={"coding": [{"system": codes.CS_OVERALL_TIER, "code": tier}], "text": tier},
        note=[{"text": "Decision support from the follow-up rules, not a diagnosis."}],
    )


def checkin_summary_resources(response) -> list[dict]:
    """The follow-up summary: overall tier, PGIC, one Observation per measure, one Flag per *new* red flag (R8)."""
    resources = [overall_observation(response)]
    summary = response.summary or {}
    if summary.get("pgic"):
        resources.append(pgic_observation(response, summary["pgic"]))
    resources += [measure_observation(response, entry) for entry in summary.get("changes") or []]
    new = set(summary.get("new_red_flags") or ())
    owner = _Owner(pk=response_id(response), patient_id=response.patient_id, submitted_at=response.submitted_at)
    resources += [flag_resource(owner, flag) for flag in summary.get("red_flags") or [] if flag["id"] in new]
    return resources


def answered_responses(**filters) -> list:
    """The answered check-ins matching `filters`, per intake in schedule order."""
    from intake.checkins.models import CheckInResponse

    return sorted(
        CheckInResponse.objects.select_related("checkin", "checkin__plan").filter(**filters),
        key=lambda r: (r.checkin.plan.intake_id, cs.TIME_POINTS[r.checkin.time_point]["order"], r.pk),
    )


def _questionnaire_for(time_point: str, cache: dict) -> dict:
    if time_point not in cache:
        cache[time_point] = checkin_questionnaire(time_point)
    return cache[time_point]


def checkin_resources(responses, cache: dict | None = None) -> list[dict]:
    """Each response's QuestionnaireResponse and summary resources (for the patient Bundle)."""
    cache = {} if cache is None else cache
    out: list[dict] = []
    for response in responses:
        out.append(checkin_questionnaire_response(response, _questionnaire_for(response.checkin.time_point, cache)))
        out += checkin_summary_resources(response)
    return out



def checkin_summary_bundle(response) -> dict:
    """GET /fhir/Bundle/summary/checkin-<response id>: the patient and the check-in's follow-up summary."""
    resources = [patient_resource(response.patient), *checkin_summary_resources(response)]
    return {
        "resourceType": "Bundle",
        "id": f"summary-{response_id(response)}",
        "type": "collection",
        "timestamp": _instant(timezone.now()),
        "entry": [_entry(r) for r in resources],
    }
