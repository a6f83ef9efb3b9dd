"""Factories: intakes submitted through the real service (intake_submit schedules the check-ins), and many due
check-ins at once for the batch tests."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from intake import services
from intake.checkins.models import CheckIn, CheckInPlan
from intake.models import TIER_RANK, Intake, Patient
from intake.triage import evaluate
from tests.engine.builders import intake as build_intake

from .conftest import daytime_zone, make_due


def back_pain_answers(**overrides) -> dict:
    """A back-pain-only baseline with NPRS 7, RMDQ 10 and three PSFS activities (§6.1 items asked at follow-up)."""
    instruments = {
        "nprs_back": 7,
        "rmdq": [True] * 10 + [False] * 14,
        "psfs": [
            {"activity": "Walking", "score": 3},
            {"activity": "Lifting", "score": 4},
            {"activity": "Sitting", "score": 5},
        ],
    }
    return build_intake(back=True, headache=False, neck=False, instruments=instruments, **overrides)


def submitted_intake(
    *,
    email: str = "pat@example.org",
    consent: bool = True,
    zone: str | None = None,
    answers: dict | None = None,
    first_name: str = "Pat",
) -> Intake:
    patient = Patient.objects.create(
        first_name=first_name, last_name="Lee", email=email, time_zone=zone or daytime_zone()
    )
    return services.intake_submit(
        patient=patient, answers=answers or back_pain_answers(), privacy_accepted=True, checkins_opt_in=consent
    )


def due_checkin(time_point: str = "week2", **kwargs) -> CheckIn:
    intake = submitted_intake(**kwargs)
    return make_due(CheckIn.objects.get(plan__intake=intake, time_point=time_point))


def many_due_checkins(n: int, *, zone: str | None = None) -> list[int]:
    """n patients, each with a consenting intake and one 2-week check-in due now (bulk: fast enough for 10,000)."""
    zone = zone or daytime_zone()
    answers = back_pain_answers()
    summary = evaluate(answers)
    now = timezone.now()
    patients = Patient.objects.bulk_create(
        Patient(first_name=f"P{i}", last_name="Batch", email=f"p{i}@example.org", time_zone=zone) for i in range(n)
    )
    intakes = Intake.objects.bulk_create(
        Intake(
            patient=p,
            answers=answers,
            summary=summary,
            rules_version=summary["rules_version"],
            triage_status="ok",
            overall_tier=summary["overall_tier"],
            tier_rank=TIER_RANK[summary["overall_tier"]],
            submitted_at=now - timedelta(days=14),
            privacy_accepted_at=now,
            checkins_opt_in=True,
            checkins_opt_in_at=now,
        )
        for p in patients
    )
    plans = CheckInPlan.objects.bulk_create(CheckInPlan(intake=i, patient=i.patient, time_zone=zone) for i in intakes)
    rows = CheckIn.objects.bulk_create(
        CheckIn(
            plan=plan,
            patient=plan.patient,
            time_point="week2",
            target_at=now,
            window_opens_at=now - timedelta(days=2),
            window_closes_at=now + timedelta(days=4),
            expires_at=now + timedelta(days=11),
            due_at=now - timedelta(seconds=1),
            send_after=now - timedelta(seconds=1),
        )
        for plan in plans
    )
    return [r.pk for r in rows]


def week6_form_data(**overrides) -> dict:
    """What a browser posts for the back-pain baseline's 6-week check-in, every red-flag answer "no"."""
    data = {
        "page": "1",
        "nprs_back": "5",
        "pgic": "3",
        "med_any_acute": "0",
        "topic_ces": "no",
        "leg_pain_below_knee": "none",
        "leg_weakness_new": "no",
        "fever_any": "no",
        "unexplained_weight_loss": "no",
        "neck_treatment_since_last": "no",
        "new_event_injury": "no",
        "new_event_procedure": "no",
        "new_event_diagnosis": "no",
        "phq4_0": "0",
        "phq4_1": "0",
        "phq4_2": "0",
        "phq4_3": "0",
        "psfs_0": "5",
        "psfs_1": "5",
        "psfs_2": "6",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
