"""services.intake_mark_reviewed and clinician:intake_review."""

from __future__ import annotations

import pytest
from django.urls import reverse

from intake.clinician import services
from intake.clinician.models import IntakeReview

from .factories import make_failed_intake, make_intake


def review(client, intake, note=""):
    return client.post(reverse("clinician:intake_review", args=[intake.pk]), {"note": note}, follow=True)


def test_it_refuses_while_a_flag_is_unacknowledged(clinician):
    intake = make_intake("ED_NOW")
    with pytest.raises(services.ReviewBlocked) as exc:
        services.intake_mark_reviewed(intake=intake, user=clinician)
    assert "HA-THUNDER" in exc.value.flag_ids


def test_it_tells_the_clinician_which_flags_are_left(clinician_client):
    intake = make_intake("ED_NOW")
    body = review(clinician_client, intake).content.decode()
    assert "Acknowledge every flag before marking the intake reviewed" in body
    assert not IntakeReview.objects.exists()


def test_it_marks_reviewed_and_takes_the_intake_off_the_worklist(clinician_client, clinician):
    intake = make_intake("NONE")
    review(clinician_client, intake, note="Seen.")
    assert IntakeReview.objects.get(intake=intake).reviewed_by == clinician
    rows = clinician_client.get(reverse("clinician:worklist")).context["rows"]
    assert intake.pk not in [r.pk for r in rows]


def test_it_lets_a_failed_summary_be_reviewed_manually(clinician_client):
    intake = make_failed_intake()
    review(clinician_client, intake, note="Read every answer; nothing urgent.")
    assert IntakeReview.objects.get(intake=intake).note == "Read every answer; nothing urgent."


def test_it_reviews_once(clinician):
    intake = make_intake("NONE")
    first = services.intake_mark_reviewed(intake=intake, user=clinician, note="one")
    again = services.intake_mark_reviewed(intake=intake, user=clinician, note="two")
    assert again.pk == first.pk and again.note == "one"
