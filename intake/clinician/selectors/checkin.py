"""The clinician's page of one check-in response (clinician:checkin_response), built from the stored follow-up
summary (docs/checkin-contract.md part C, made by intake/triage/change.py) and the patient's answers. Nothing here
re-applies a rule: statuses, notes and flags are the follow-up engine's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from intake.checkins.models import CheckInResponse
from intake.triage.red_flags import RULE_BY_ID

from .. import labels
from .summary import Fact, _facts, answer_rows
from .trends import STATUS_LABEL

MEASURE_LABEL = {"headache_days": "Headache days per 28 days", "migraine_days": "Migraine days per 28 days"}


@dataclass
class CheckInFlagView:
    id: str
    title: str
    ref: str
    tier: str
    action: str
    action_label: str
    tier_class: str
    facts: list[Fact]
    new: bool


@dataclass
class ChangeView:
    measure: str
    label: str
    baseline: object
    followup: object
    delta: object
    pct: object
    status: str
    status_label: str
    reason: str
    caveats: list[str]


@dataclass
class CheckInResponseView:
    response: CheckInResponse
    failed: bool
    tier_label: str
    tier_class: str
    time_point_label: str
    summary: dict
    red_flags: list[CheckInFlagView] = field(default_factory=list)
    new_flag_ids: list[str] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)
    changes: list[ChangeView] = field(default_factory=list)
    precautions: list[tuple[str, str]] = field(default_factory=list)
    answers: list[Fact] = field(default_factory=list)
    free_text: str = ""

    @property
    def urgent_new_flags(self) -> bool:
        """A new URGENT or EMERGENCY flag: acknowledging needs a note of what was done (reference §0.3)."""
        return any(f.new and f.tier in ("URGENT", "EMERGENCY") for f in self.red_flags)


def checkin_response_view(response: CheckInResponse) -> CheckInResponseView:
    s = response.summary or {}
    failed = response.triage_failed or not s
    view = CheckInResponseView(
        response=response,
        failed=failed,
        tier_label=labels.tier_label(response.overall_tier, failed),
        tier_class=labels.TIER_CLASS["" if failed else response.overall_tier],
        time_point_label=response.checkin.get_time_point_display(),
        summary=s,
        answers=answer_rows(response.answers),
        free_text=(response.answers or {}).get("free_text", "") or "",
    )
    if failed:
        return view
    view.new_flag_ids = list(s.get("new_red_flags", []))
    for flag in s.get("red_flags", []):
        rule = RULE_BY_ID.get(flag["id"])
        view.red_flags.append(
            CheckInFlagView(
                id=flag["id"],
                title=rule.title if rule else "",
                ref=rule.ref if rule else flag.get("ref", ""),
                tier=flag["tier"],
                action=flag["action"],
                action_label=str(labels.ACTION.get(flag["action"], flag["action"])),
                tier_class=labels.TIER_CLASS[labels.ACTION_TO_TIER.get(flag["action"], "ROUTINE")],
                facts=_facts(flag.get("triggered_by")),
                new=flag["id"] in view.new_flag_ids,
            )
        )
    view.red_flags.sort(key=lambda f: not f.new)  # new flags first (R8: they override everything else)
    for note in s.get("notes", []):
        view.notes.append(
            {
                "id": note["id"],
                "text": note.get("text", ""),
                "tier": note.get("tier"),
                "action_label": str(labels.ACTION.get(note.get("action"), "")) if note.get("action") else "",
                "facts": _facts(note.get("triggered_by")),
            }
        )
    for c in s.get("changes", []):
        view.changes.append(
            ChangeView(
                measure=c["measure"],
                label=MEASURE_LABEL.get(c["measure"]) or labels.instrument_name(c["measure"]),
                baseline=c.get("baseline"),
                followup=c.get("followup"),
                delta=c.get("delta"),
                pct=c.get("pct"),
                status=c["status"],
                status_label=STATUS_LABEL.get(c["status"], c["status"]),
                reason=c.get("reason") or "",
                caveats=list(c.get("caveats") or ()),
            )
        )
    view.precautions = [(p, str(labels.PRECAUTION.get(p, p))) for p in s.get("precautions", [])]
    return view
