"""`manage.py seed_demo --intakes N`: synthetic intakes of every tier, written in bulk."""

from __future__ import annotations

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command

from intake.clinician.demo import bulk_seed
from intake.models import Flag, Intake, Patient
from intake.triage import evaluate


def test_it_seeds_every_tier(db):
    counts = bulk_seed(400)
    assert {"NONE", "ROUTINE", "URGENT_REFERRAL", "SAME_DAY", "ED_NOW"} <= set(counts)
    assert Intake.objects.count() == 400 == Patient.objects.count()


def test_it_stores_exactly_what_the_engine_says(db):
    bulk_seed(30, seed=2)
    for intake in Intake.objects.filter(triage_status="ok")[:10]:
        assert evaluate(intake.answers) == intake.summary
        assert sorted(intake.flags.values_list("flag_id", flat=True)) == sorted(
            f["id"] for f in intake.summary["red_flags"])
        assert intake.tier_rank == {"ED_NOW": 4, "SAME_DAY": 3, "URGENT_REFERRAL": 2, "ROUTINE": 1,
                                    "NONE": 0}[intake.overall_tier]


def test_it_ranks_failed_summaries_first(db, monkeypatch):
    from intake.clinician import demo

    monkeypatch.setattr(demo, "FAILED_SHARE", 0.5)
    bulk_seed(40, seed=1)
    failed = Intake.objects.filter(triage_status="failed")
    assert failed.exists()
    assert set(failed.values_list("tier_rank", "summary")) == {(9, None)}
    assert not Flag.objects.filter(intake__in=failed).exists()


def test_it_adds_bulk_intakes_after_the_worked_examples(db):
    call_command("seed_demo", "--intakes", "20", stdout=StringIO(), stderr=StringIO())
    assert Intake.objects.count() == 20
    assert Intake.objects.filter(invitation__isnull=False).count() == 8  # the worked examples, through the wizard path


def test_it_still_does_nothing_when_asked_to_fill_only_an_empty_database(db):
    call_command("seed_demo", "--intakes", "12", stdout=StringIO(), stderr=StringIO())
    call_command("seed_demo", "--if-empty", "--intakes", "12", stdout=StringIO(), stderr=StringIO())
    assert Intake.objects.count() == 12


def test_it_makes_a_demo_account_for_each_role(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast: not what is tested
    call_command("seed_demo", "--intakes", "0", "--staff-password", "a-demo-password-1", stdout=StringIO(),
                 stderr=StringIO())
    users = get_user_model().objects.filter(username__in=["clinician", "frontdesk", "practiceadmin"])
    assert users.count() == 3
    assert all(u.is_staff and u.check_password("a-demo-password-1") for u in users)
