"""Factories for the clinician tests: patients, intakes of each tier (through the real service and engine),
failed intakes, and staff users in each role."""

from __future__ import annotations

import copy
import itertools
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from intake import demo, services
from intake.models import Intake, Patient

_seq = itertools.count(1)

# Worked examples (intake/demo.py) by the overall tier the engine gives them.
ANSWERS = {
    "NONE": demo.ACUTE_LBP_LIFTING,  # V1
    "ROUTINE": demo.INFLAMMATORY_BACK_PAIN,  # V9: LBP-AXSPA
    "URGENT_REFERRAL": demo.PEOPLE[6][2],  # an unclear red-flag answer
    "SAME_DAY": demo.PEOPLE[7][2],  # MH-SI
    "ED_NOW": demo.THUNDERCLAP,  # V7: HA-THUNDER
}


def make_patient(**kwargs) -> Patient:
    n = next(_seq)
    kwargs.setdefault("first_name", f"Pat{n}")
    kwargs.setdefault("last_name", f"Example{n}")
    kwargs.setdefault("date_of_birth", date(1980, 1, 1) + timedelta(days=n))
    kwargs.setdefault("email", f"pat{n}@example.org")
    return Patient.objects.create(**kwargs)


def make_intake(tier: str = "NONE", *, patient: Patient | None = None, answers: dict | None = None,
                submitted_at=None) -> Intake:
    """An intake submitted through services.intake_submit (validated and triaged by the real engine)."""
    intake = services.intake_submit(
        patient=patient or make_patient(),
        answers=copy.deepcopy(answers if answers is not None else ANSWERS[tier]),
        privacy_accepted=True,
        checkins_opt_in=True,
    )
    if answers is None:
        assert intake.overall_tier == tier, intake.overall_tier
    if submitted_at is not None:
        Intake.objects.filter(pk=intake.pk).update(submitted_at=submitted_at)
        intake.submitted_at = submitted_at
    return intake


def make_failed_intake(*, patient: Patient | None = None, submitted_at=None) -> Intake:
    """An intake whose triage failed, stored as services.intake_submit stores it."""
    now = submitted_at or timezone.now()
    return Intake.objects.create(
        patient=patient or make_patient(),
        answers=copy.deepcopy(ANSWERS["NONE"]),
        summary=None,
        triage_status=Intake.TriageStatus.FAILED,
        triage_error="RuntimeError: engine exploded",
        overall_tier="",
        tier_rank=9,
        submitted_at=now,
        privacy_accepted_at=now,
    )


def make_user(role: str | None = None, *, password: str | None = None, **kwargs):
    """A user in one role group; without a password (tests sign in with force_login, and hashing is slow)."""
    n = next(_seq)
    kwargs.setdefault("username", f"{(role or 'user').lower().replace(' ', '')}{n}")
    kwargs.setdefault("is_staff", role is not None)
    user = get_user_model().objects.create_user(password=password, **kwargs)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def backdate(intake: Intake, days: int) -> Intake:
    """Move an intake `days` into the past and make its check-in plan again for that date (the plan was made when
    the intake was submitted, now)."""
    from intake.checkins import services as checkin_services
    from intake.checkins.models import CheckInPlan

    when = timezone.now() - timedelta(days=days)
    Intake.objects.filter(pk=intake.pk).update(submitted_at=when)
    CheckInPlan.objects.filter(intake=intake).delete()
    intake.refresh_from_db()
    assert checkin_services.checkins_schedule(intake=intake)
    return intake


def answer_checkin(intake: Intake, time_point: str, *, day: int | None = None, **answers):
    """The patient answers one check-in of `intake` on `day` after it (default: the target day of §6.2), through
    the check-in app's response_submit (validated and evaluated by intake/triage/change.py)."""
    from intake.checkins import services as checkin_services
    from intake.checkins.models import CheckIn
    from intake.triage.checkin_schema import TIME_POINTS
    from tests.engine.checkin_builders import answers as checkin_answers

    checkin = CheckIn.objects.select_related("plan__intake").get(plan__intake=intake, time_point=time_point)
    day = TIME_POINTS[time_point]["target_day"] if day is None else day
    answered_at = intake.submitted_at + timedelta(days=day, hours=2)
    response = checkin_services.response_submit(
        checkin=checkin, answers=checkin_answers(intake.answers, time_point, **answers), now=answered_at
    )
    assert response.triage_status == "ok", response.triage_error
    return response


def miss_checkin(intake: Intake, time_point: str) -> None:
    from intake.checkins.models import CheckIn

    CheckIn.objects.filter(plan__intake=intake, time_point=time_point).update(
        status=CheckIn.Status.MISSED, missed_at=timezone.now()
    )
