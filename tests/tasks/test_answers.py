"""The patient's answers: the worklist item and clinician e-mail of an urgent change, the same safety screens as at
intake, opting out, and the schedule (windows, time zone, quiet hours, missed windows, the embedded runner)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from clinic.celery import app
from intake.checkins import links, services
from intake.checkins.models import CheckIn, CheckInPlan, CheckInResponse, CheckInSchedule
from intake.checkins.selectors import worklist_rows

from .conftest import Sink, make_due, night_zone, sweep_until
from .factories import due_checkin, submitted_intake, week6_form_data

S = CheckIn.Status


def _open_emailed_link(sink, client) -> str:
    sweep_until(lambda: sink.of_kind("invitation"), what="the invitation")
    path = Sink.link(sink.of_kind("invitation")[-1]).removeprefix("http://testserver")
    assert client.get(path).status_code == 200
    return path


def test_a_pgic_of_6_at_week_6_is_an_urgent_worklist_item_and_emails_the_clinician(worker, mail_to_sink, client):
    checkin = due_checkin("week6")
    path = _open_emailed_link(mail_to_sink, client)

    answered = client.post(path, week6_form_data(pgic="6", nprs_back="7"))

    assert answered.status_code == 302 and answered["Location"] == reverse("checkins:result")
    result = client.get(answered["Location"])
    assert "Your clinician will review some of your answers" in result.content.decode()  # §0.3 neutral notice
    response = CheckInResponse.objects.get(checkin=checkin)
    assert response.overall_tier == "URGENT_REFERRAL" and response.tier_rank == 2
    assert [n["id"] for n in response.summary["notes"] if n["tier"]] == ["PGIC-WORSE"]
    rows = worklist_rows()
    assert rows[0]["pk"] == response.pk and rows[0]["tier_rank"] == 2 and rows[0]["unacknowledged"]
    sweep_until(lambda: mail_to_sink.alerts(), what="the clinician alert")
    alert = mail_to_sink.alerts()[0]
    assert alert["To"] == "clinician@example.org" and "URGENT_REFERRAL" in alert["Subject"]
    assert "PGIC-WORSE" in Sink.parts(alert)["text/plain"]


def test_the_worklist_source_ranks_checkins_with_intakes(worker, mail_to_sink, client):
    pytest.importorskip("intake.clinician.selectors.worklist")
    from intake.clinician.selectors.worklist import SOURCES, WorklistFilters, worklist_page

    assert any(s.kind == "checkin" for s in SOURCES)
    checkin = due_checkin("week6")
    path = _open_emailed_link(mail_to_sink, client)
    client.post(path, week6_form_data(pgic="7"))
    _page, rows = worklist_page(WorklistFilters())
    first = rows[0]
    assert (first.kind, first.pk, first.tier_rank) == ("checkin", checkin.response.pk, 2)


def test_an_emergency_answer_must_be_acknowledged_and_alerts_the_clinician(worker, mail_to_sink, client):
    checkin = due_checkin("week6")
    path = _open_emailed_link(mail_to_sink, client)

    data = week6_form_data(
        topic_ces="yes",
        ces_saddle_numbness="yes",
        ces_urinary_difficulty="no",
        ces_urinary_incontinence="no",
        ces_bowel_dysfunction="no",
        ces_sexual_dysfunction="no",
    )
    client.post(path, data)

    response = CheckInResponse.objects.get(checkin=checkin)
    assert [f["id"] for f in response.summary["red_flags"]] == ["LBP-CES-1"] and response.tier_rank == 4
    page = client.get(reverse("checkins:result")).content.decode()
    assert 'data-must-acknowledge="true"' in page and "Please get medical help now" in page
    assert client.post(reverse("checkins:acknowledge")).status_code == 302
    assert 'data-must-acknowledge="true"' not in client.get(reverse("checkins:result")).content.decode()
    sweep_until(lambda: mail_to_sink.alerts(), what="the clinician alert")


def test_thoughts_of_self_harm_show_crisis_resources_at_once(worker, mail_to_sink, client, settings):
    checkin = due_checkin("week6")
    path = _open_emailed_link(mail_to_sink, client)

    page2 = client.post(path, week6_form_data(phq4_2="2", phq4_3="2"))  # depression subscale 4 → PHQ-9 and GAD-7
    assert page2.status_code == 200 and page2.context["page"] == 2
    phq = {f"phq9_{i}": "1" for i in range(9)} | {f"gad7_{i}": "0" for i in range(7)}
    done = client.post(path, {"page": "2", **phq})

    assert done.status_code == 302
    response = CheckInResponse.objects.get(checkin=checkin)
    assert [f["id"] for f in response.summary["red_flags"]] == ["MH-SI"]
    result = client.get(reverse("checkins:result")).content.decode()
    assert 'id="crisis-resources"' in result and settings.CRISIS_RESOURCES_TEXT[:40] in result


def test_missing_answers_are_named_and_nothing_is_saved(worker, mail_to_sink, client):
    checkin = due_checkin("week6")
    path = _open_emailed_link(mail_to_sink, client)

    page = client.post(path, week6_form_data(topic_ces="yes", pgic=None))

    assert page.status_code == 200
    labels = {str(e["label"]) for e in page.context["errors"]}
    assert any("change in your problem overall" in label for label in labels)  # pgic
    assert any("Numbness or altered feeling" in label for label in labels)  # the CES item behind "yes"
    assert not CheckInResponse.objects.filter(checkin=checkin).exists()


def test_opting_out_cancels_future_checkins_and_is_recorded(worker, mail_to_sink, client):
    checkin = due_checkin("week2")
    sweep_until(lambda: mail_to_sink.of_kind("invitation"), what="the invitation")
    text = Sink.parts(mail_to_sink.of_kind("invitation")[0])["text/plain"]
    stop = next(w for w in text.split() if "/checkin/stop/" in w).removeprefix("http://testserver")

    assert client.get(stop).status_code == 200
    assert CheckInPlan.objects.get(pk=checkin.plan_id).opted_out_at is None  # GET never opts out (mail scanners)
    assert client.post(stop).status_code == 200

    plan = CheckInPlan.objects.get(pk=checkin.plan_id)
    assert plan.opted_out_at is not None and plan.opted_out_via == "email_link"
    assert set(plan.checkins.exclude(pk=checkin.pk).values_list("status", flat=True)) == {S.CANCELLED}
    later = make_due(plan.checkins.get(time_point="week6"))
    assert services.checkin_send(checkin_id=later.pk) == "not_claimed"
    assert (
        client.get(Sink.link(mail_to_sink.of_kind("invitation")[0]).removeprefix("http://testserver")).status_code
        == 410
    )


# ---------------------------------------------------------------- schedule (database only)
def test_consent_creates_the_schedule_in_the_patients_time_zone(db, settings):
    intake = submitted_intake(zone="America/New_York")
    rows = {c.time_point: c for c in CheckIn.objects.filter(plan__intake=intake)}
    local = ZoneInfo("America/New_York")
    base = intake.submitted_at.astimezone(local).date()

    assert set(rows) == {"week2", "week6", "week12"}  # §6.2; 26 and 52 are optional
    week2 = rows["week2"]
    assert week2.due_at.astimezone(local) == datetime(*(base + timedelta(days=12)).timetuple()[:3], 10, tzinfo=local)
    assert week2.window_closes_at.astimezone(local) == datetime(
        *(base + timedelta(days=19)).timetuple()[:3], 0, tzinfo=local
    )
    assert rows["week12"].window_opens_at.astimezone(local).date() == base + timedelta(days=77)
    assert all(c.status == S.SCHEDULED for c in rows.values())


def test_no_consent_no_checkins_and_the_clinic_can_add_the_optional_ones(db):
    assert not CheckIn.objects.filter(plan__intake=submitted_intake(consent=False)).exists()
    schedule = CheckInSchedule.current()
    schedule.week26 = schedule.week52 = True
    schedule.save()
    points = CheckIn.objects.filter(plan__intake=submitted_intake(email="b@example.org"))
    assert sorted(points.values_list("time_point", flat=True)) == ["week12", "week2", "week26", "week52", "week6"]


def test_no_email_goes_out_in_the_patients_quiet_hours(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    checkin = due_checkin("week2", zone=night_zone())  # about 23:00 there

    assert services.checkin_send(checkin_id=checkin.pk) == "deferred_quiet_hours"

    checkin.refresh_from_db()
    local = checkin.send_after.astimezone(ZoneInfo(checkin.plan.time_zone))
    assert (local.hour, local.minute) == (8, 0) and checkin.status == S.SCHEDULED and checkin.attempts == 0
    assert mail.outbox == []


def test_a_window_that_closes_unanswered_is_missed_never_imputed(db):
    checkin = due_checkin("week2")
    CheckIn.objects.filter(pk=checkin.pk).update(status=S.SENT, window_closes_at=timezone.now())

    assert services.checkins_mark_missed(now=timezone.now()) == 1
    checkin.refresh_from_db()
    assert checkin.status == S.MISSED and not CheckInResponse.objects.filter(checkin=checkin).exists()
    # a late answer is still accepted (stored, flagged out of window) until the link expires
    assert links.checkin_from_token(links.checkin_token(checkin)).pk == checkin.pk


def test_without_redis_the_embedded_runner_delivers_due_checkins(db, settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    monkeypatch.setitem(app.conf, "task_always_eager", True)  # what settings do without REDIS_URL
    checkin = due_checkin("week2")

    call_command("run_due_checkins")

    assert [m.to for m in mail.outbox] == [["pat@example.org"]]
    assert CheckIn.objects.get(pk=checkin.pk).status == S.SENT


def test_every_question_of_a_back_neck_and_headache_patient_maps_to_the_contract(db, client):
    from tests.engine.builders import intake as build

    baseline = build(back=True, headache=True, neck=True, leg=True, instruments={"nprs_back": 6, "nprs_head": 7})
    checkin = due_checkin("week6", answers=baseline)
    path = reverse("checkins:form", args=[links.checkin_token(checkin)])
    page = client.get(path).content.decode()
    for name in (
        "topic_ces",
        "topic_neuro",
        "topic_ha_change",
        "topic_cad",
        "onset_to_peak",
        "pregnancy_status",
        "ha_days_window",
        "med_triptan",
        "phq4_0",
        "free_text",
    ):
        assert f'name="{name}"' in page, name
    no = dict.fromkeys(
        (
            "topic_ces",
            "topic_neuro",
            "topic_ha_change",
            "leg_weakness_new",
            "fever_any",
            "unexplained_weight_loss",
            "orthostatic",
            "neck_treatment_since_last",
            "new_event_injury",
            "new_event_diagnosis",
        ),
        "no",
    )
    data = {
        **no,
        "page": "1",
        "nprs_back": "4",
        "nprs_head": "no_headaches",
        "ha_days_window": "3",
        "pgic": "2",
        "med_any_acute": "4",
        **{f"med_{c}": "0" for c in ("nsaid_aspirin", "ergot", "opioid", "combination", "gepant_ditan", "other")},
        "med_paracetamol": "4",
        "med_triptan_not_sure": "on",
        "leg_pain_below_knee": "left",
        "onset_to_peak": "no_headache",
        "pregnancy_status": "no",
        "topic_cad": "yes",
        **{
            item: "no"
            for item in (
                "vertigo_new",
                "diplopia_new",
                "dysarthria_new",
                "dysphagia_new",
                "drop_attacks_new",
                "nystagmus_new",
                "facial_numbness_new",
                "ataxia_new",
                "ptosis",
            )
        },
        "pulsatile_tinnitus": "yes",
        "neuro_symptoms_within_14_days": "no",
        "new_event_procedure": "yes",
        "procedure_type": "epidural_surgical",
        "procedure_days_ago": "10",
        "dural_puncture_procedure": "no",
        "recent_spinal_procedure": "yes",
        "back_pain_new_or_changed": "no",
        **{f"phq4_{i}": "0" for i in range(4)},
        "free_text": "The new exercises help.",
    }

    done = client.post(path, data)

    assert done.status_code == 302, done.context and done.context["errors"]
    response = CheckInResponse.objects.get(checkin=checkin)
    a = response.answers
    assert a["med_days_window"]["triptan"] == "not_sure" and a["med_days_window"]["paracetamol"] == 4
    assert a["ces_saddle_numbness"] == "no" and a["pulsatile_tinnitus"] == "yes" and a["fever"] == "no"
    assert a["pregnant"] == "no" and a["postpartum_weeks"] is None and a["free_text"] == "The new exercises help."
    flags = {f["id"]: f["action"] for f in response.summary["red_flags"]}
    assert flags == {"CAD-HISTORY": "URGENT_REFERRAL", "HA-RAISED-ICP": "URGENT_REFERRAL"}
    assert {n["id"] for n in response.summary["notes"]} >= {"NEW-EVENT", "FREE-TEXT"}


def test_staff_pages_of_the_admin_render(db, client):
    from django.contrib.auth import get_user_model

    checkin = due_checkin("week2")
    staff = get_user_model().objects.create_superuser("boss", "boss@example.org", "a long password 123")
    client.force_login(staff)
    schedule = CheckInSchedule.current()
    for url in (
        reverse("admin:checkins_checkinschedule_change", args=[schedule.pk]),
        reverse("admin:checkins_checkin_changelist"),
        reverse("admin:checkins_checkin_change", args=[checkin.pk]),
        reverse("admin:checkins_checkinplan_change", args=[checkin.plan_id]),
        reverse("admin:checkins_checkinresponse_changelist"),
    ):
        assert client.get(url).status_code == 200, url
    done = client.post(
        reverse("admin:checkins_checkinplan_changelist"), {"action": "opt_out", "_selected_action": [checkin.plan_id]}
    )
    assert done.status_code == 302
    assert CheckInPlan.objects.get(pk=checkin.plan_id).opted_out_via == "staff"
