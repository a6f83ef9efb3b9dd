"""Delivery end to end: beat's sweep → a real worker on Redis → a real SMTP server → the patient's link."""

from __future__ import annotations

from django.urls import reverse

from intake.checkins import tasks
from intake.checkins.models import CheckIn

from .conftest import Sink, sweep, sweep_until, wait_for
from .factories import due_checkin


def test_it_emails_a_due_checkin_and_its_link_opens_that_checkin(worker, mail_to_sink, client):
    checkin = due_checkin("week6", email="ann@example.org", first_name="Ann")
    other = due_checkin("week2", email="bob@example.org", first_name="Bob")

    sweep()
    wait_for(lambda: len(mail_to_sink.of_kind("invitation")) == 2, what="two invitations")

    message = next(m for m in mail_to_sink.of_kind("invitation") if m["To"] == "ann@example.org")
    parts = Sink.parts(message)
    assert set(parts) == {"text/plain", "text/html"}  # HTML + plain text
    assert "6-week check-in" in message["Subject"]
    link = Sink.link(message)
    assert link in parts["text/html"]
    assert "/checkin/stop/" in parts["text/plain"] and "/checkin/stop/" in parts["text/html"]  # opt-out link
    assert message["List-Unsubscribe"].strip().startswith("<http://testserver/checkin/stop/")

    page = client.get(link.removeprefix("http://testserver"))
    assert page.status_code == 200
    assert page.context["checkin"].pk == checkin.pk != other.pk
    assert "6-week check-in" in page.content.decode()
    assert 'id="step-form"' in page.content.decode() and "<script>" not in page.content.decode()  # no inline JS

    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.SENT and checkin.attempts == 1
    assert checkin.reminder_due_at is not None  # one reminder planned for a non-responder


def test_it_sends_one_email_when_the_send_task_runs_twice(worker, mail_to_sink):
    checkin = due_checkin("week2")

    tasks.send_checkin.delay(checkin.pk)
    tasks.send_checkin.delay(checkin.pk)  # a duplicate message: a retry, a second beat, a redelivery
    wait_for(lambda: CheckIn.objects.get(pk=checkin.pk).status == CheckIn.Status.SENT, what="sent")
    assert tasks.send_checkin.apply(args=(checkin.pk,)).get() == "not_claimed"  # and once more, in-process
    sweep()  # beat finds nothing left to do

    wait_for(lambda: len(mail_to_sink.messages) >= 1)
    import time

    time.sleep(0.5)  # let any duplicate arrive
    assert mail_to_sink.checkin_ids() == [checkin.pk]


def test_a_reminder_goes_once_to_a_patient_who_has_not_answered(worker, mail_to_sink):
    from datetime import timedelta

    from django.utils import timezone

    checkin = due_checkin("week2")
    sweep_until(lambda: mail_to_sink.of_kind("invitation"), what="the invitation")
    CheckIn.objects.filter(pk=checkin.pk).update(reminder_due_at=timezone.now() - timedelta(seconds=1))

    sweep_until(lambda: mail_to_sink.of_kind("reminder"), what="the reminder")
    for _ in range(5):
        sweep()

    reminder = mail_to_sink.of_kind("reminder")
    assert len(reminder) == 1 and reminder[0]["Subject"].startswith("Reminder")
    assert Sink.link(reminder[0])  # the same check-in, a fresh signature
    assert mail_to_sink.checkin_ids("reminder") == [checkin.pk]


def test_the_form_link_is_single_use(worker, mail_to_sink, client):
    from .factories import week6_form_data

    checkin = due_checkin("week6")
    sweep_until(lambda: mail_to_sink.of_kind("invitation"), what="the invitation")
    path = Sink.link(mail_to_sink.of_kind("invitation")[0]).removeprefix("http://testserver")

    assert client.post(path, week6_form_data()).status_code == 302
    again = client.get(path)
    assert again.status_code == 410 and "Already answered" in again.content.decode()
    assert client.post(path, week6_form_data()).status_code == 410
    assert CheckIn.objects.get(pk=checkin.pk).status == CheckIn.Status.ANSWERED
    assert reverse("checkins:result") in client.get(path).content.decode()  # "see your result page again"
