"""The check-in app's trend source on clinician:patient_trends: baseline intake and every answered check-in, a
missed check-in as a gap, an out-of-window answer marked, and the change statuses of intake/triage/change.py (the
follow-up summary stored on each response), in a constant number of queries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intake.checkins.models import CheckInResponse
from intake.checkins.selectors import CheckInTrendSource
from intake.clinician.selectors import trends as tr

from .factories import ANSWERS, answer_checkin, backdate, make_intake, make_patient, miss_checkin

MARIA = next(a for first, _last, a in __import__("intake.demo", fromlist=["PEOPLE"]).PEOPLE if first == "Maria")


def page(client, patient) -> str:
    response = client.get(reverse("clinician:patient_trends", args=[patient.pk]))
    assert response.status_code == 200
    return response.content.decode()


def maria_with_checkins():
    """Back pain and headache (18 headache days a month, NPRS back 6, head 7); 2 weeks answered, 6 weeks missed,
    12 weeks answered."""
    intake = backdate(make_intake(answers=MARIA, patient=make_patient(first_name="Maria")), 100)
    week2 = answer_checkin(intake, "week2", nprs_back=5, nprs_head=6, ha_days_window=7, migraine_days_window=3)
    miss_checkin(intake, "week6")
    week12 = answer_checkin(intake, "week12", nprs_back=2, nprs_head=3, ha_days_window=6, migraine_days_window=2)
    return intake, week2, week12


def rows_of(trends, key):
    return next(t for t in trends if t.measure.key == key).rows


def test_the_checkin_source_is_registered():
    assert any(isinstance(s, CheckInTrendSource) for s in tr.TREND_SOURCES)


def test_it_adds_each_answered_checkin_and_a_gap_for_the_missed_one(db):
    intake, week2, week12 = maria_with_checkins()
    points, trends = tr.patient_trends(intake.patient_id)
    assert [p.label for p in points] == [
        "Baseline intake", "2-week check-in", "6-week check-in (missed)", "12-week check-in"
    ]
    assert points[2].missed and points[2].values == {}  # never imputed
    nprs = rows_of(trends, "nprs_back")
    assert [(r.value, r.status) for r in nprs] == [
        (6, "baseline"), (5, "no_meaningful_change"), (None, "missed"), (2, "improved_meaningful")
    ]
    assert points[1].url == reverse("clinician:checkin_response", args=[week2.pk])
    assert points[3].url == reverse("clinician:checkin_response", args=[week12.pk])


def test_it_normalises_headache_days_to_28_and_takes_the_r6_statuses_from_the_followup_engine(db):
    intake, week2, week12 = maria_with_checkins()
    _points, trends = tr.patient_trends(intake.patient_id)
    days = rows_of(trends, "headache_days")
    # 7 days in the 14-day window of the 2-week check-in = 14 per 28 (R6); not compared on a 14-day window.
    assert [(r.value, r.status) for r in days] == [
        (18, "baseline"), (14, "not_assessable_window"), (None, "missed"), (6, "improved_meaningful")
    ]
    stored = {c["measure"]: c["status"] for c in CheckInResponse.objects.get(pk=week12.pk).summary["changes"]}
    assert days[-1].status == stored["headache_days"]
    assert rows_of(trends, "medication_days")[-1].status == "no_mcid"


def test_it_shows_the_stored_status_and_never_recomputes_it(db):
    """One implementation of §6.4: a status is the one change.py stored, even if it looks wrong for the numbers."""
    intake, _week2, week12 = maria_with_checkins()
    response = CheckInResponse.objects.get(pk=week12.pk)
    for change in response.summary["changes"]:
        if change["measure"] == "nprs_back":
            change["status"] = "worse_meaningful"
    response.save(update_fields=["summary"])
    _points, trends = tr.patient_trends(intake.patient_id)
    assert rows_of(trends, "nprs_back")[-1].status == "worse_meaningful"


def test_the_page_draws_the_band_labels_each_point_and_breaks_the_line_at_the_missed_checkin(clinician_client):
    intake, _week2, _week12 = maria_with_checkins()
    body = page(clinician_client, intake.patient)
    assert 'id="trends-no-checkins"' not in body
    chart = body.split('<svg id="chart-nprs_back"')[1].split("</svg>")[0]
    assert 'class="mcid-band"' in chart and 'class="mcid"' in chart
    assert chart.count('<polyline class="series"') == 1  # baseline → 2 weeks; the gap; 12 weeks on its own
    assert '<g class="missed">' in chart and ">missed</text>" in chart
    assert ">improved</text>" in chart and ">no change</text>" in chart
    table = body.split('id="trend-nprs_back-table"')[1].split("</table>")[0]
    assert "Missed: no data (not imputed)" in table and "Meaningful improvement" in table
    assert "missed: no data (never imputed)" in body.split('id="timepoints"')[1].split("</ul>")[0]
    assert 'id="trend-hit6"' not in body or "HIT-6" in body


def test_it_marks_an_answer_outside_its_window_and_does_not_compare_it(clinician_client):
    intake = backdate(make_intake("NONE"), 40)
    answer_checkin(intake, "week2", day=22, nprs_back=2)  # window days 12–18; a late answer is stored
    points, trends = tr.patient_trends(intake.patient_id)
    assert points[1].out_of_window
    assert rows_of(trends, "nprs_back")[1].status == "out_of_window"
    body = page(clinician_client, intake.patient)
    assert "answered outside its window: not compared" in body
    assert 'class="point out-of-window' in body


def test_the_trends_page_takes_the_same_number_of_queries_with_more_checkins(clinician_client):
    one = backdate(make_intake("NONE"), 100)
    answer_checkin(one, "week2", nprs_back=5)
    three = backdate(make_intake("NONE"), 100)
    answer_checkin(three, "week2", nprs_back=5)
    miss_checkin(three, "week6")
    answer_checkin(three, "week12", nprs_back=2, instruments={"phq4": [0, 0, 0, 0], "rmdq": [True] * 3 + [False] * 21})
    page(clinician_client, one.patient)  # session and permission caches
    counts = []
    for intake in (one, three):
        with CaptureQueriesContext(connection) as ctx:
            page(clinician_client, intake.patient)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_the_outcomes_export_has_a_row_per_checkin(db):
    from intake.clinician.selectors.outcomes import outcome_rows

    intake, _week2, _week12 = maria_with_checkins()
    rows = list(outcome_rows([intake.patient_id]))
    assert [r[1] for r in rows[1:]] == [
        "Baseline intake", "2-week check-in", "6-week check-in (missed)", "12-week check-in"
    ]
    assert ANSWERS  # the factories' examples are importable alongside
