"""clinician:patient_trends, the trend sources and the §6.4 change rules."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse

from intake.clinician.selectors import trends as tr
from intake.triage.change import STATUSES

from .factories import make_failed_intake, make_intake, make_patient


def page(client, patient):
    return client.get(reverse("clinician:patient_trends", args=[patient.pk]))


def test_it_shows_the_baseline_and_says_there_are_no_check_ins_yet(clinician_client):
    intake = make_intake("NONE")
    body = page(clinician_client, intake.patient).content.decode()
    assert 'id="trends-no-checkins"' in body
    table = body.split('id="trend-nprs_back-table"')[1].split("</table>")[0]
    assert "Baseline intake" in table and "<td>6</td>" in table


def test_it_draws_an_accessible_svg_chart_with_a_data_table(clinician_client):
    body = page(clinician_client, make_intake("NONE").patient).content.decode()
    assert '<svg id="chart-nprs_back" class="trend-chart"' in body
    assert 'role="img" aria-labelledby="chart-nprs_back-title chart-nprs_back-desc"' in body
    assert '<title id="chart-nprs_back-title">Back pain intensity (NPRS 0–10)</title>' in body
    assert "Baseline 6 on" in body
    assert '<th scope="col">Value</th>' in body


def test_it_marks_the_meaningful_improvement_threshold(clinician_client):
    body = page(clinician_client, make_intake("NONE").patient).content.decode()
    chart = body.split('<svg id="chart-nprs_back"')[1].split("</svg>")[0]
    assert 'class="mcid"' in chart and "meaningful improvement (4)" in chart
    assert "at least 2 points or 30 %" in body


def test_it_lists_the_measures_not_taken(clinician_client):
    body = page(clinician_client, make_intake("NONE").patient).content.decode()
    assert "Neck Disability Index" in body.split('id="not-measured"')[1]


def test_it_shows_an_empty_state_without_any_summary(clinician_client):
    intake = make_failed_intake()
    assert 'id="trends-empty"' in page(clinician_client, intake.patient).content.decode()


class FakeCheckIns:
    """Stands in for the check-in app's trend source: one 6-week check-in with better pain."""

    kind = "checkin"

    def __init__(self, baseline):
        self.baseline = baseline

    def points(self, patient_ids):
        when = self.baseline.submitted_at + timedelta(days=42)
        return {self.baseline.patient_id: [tr.TrendPoint(
            when=when, label="6-week check-in", kind="checkin", values={"nprs_back": 3}, window_days=28,
            changes={"nprs_back": {"status": "improved_meaningful", "delta": 3, "pct": 50}},
        )]}


def test_it_adds_points_from_a_registered_source(clinician_client, monkeypatch):
    intake = make_intake("NONE")
    monkeypatch.setattr(tr, "TREND_SOURCES", [tr.IntakeTrendSource(), FakeCheckIns(intake)])
    body = page(clinician_client, intake.patient).content.decode()
    assert 'id="trends-no-checkins"' not in body
    table = body.split('id="trend-nprs_back-table"')[1].split("</table>")[0]
    assert "6-week check-in" in table and "Meaningful improvement" in table
    assert '<polyline class="series"' in body


def test_it_records_the_view_in_the_audit_trail(clinician_client):
    from intake.clinician.models import AuditEvent

    intake = make_intake("NONE")
    page(clinician_client, intake.patient)
    event = AuditEvent.objects.get()
    assert (event.object_type, event.patient_pk, event.detail) == ("intake.patient", intake.patient_id,
                                                                   {"page": "trends"})


def test_it_takes_the_first_intake_as_the_baseline(db):
    patient = make_patient()
    first = make_intake("NONE", patient=patient)
    make_intake("NONE", patient=patient)
    points, _trends = tr.patient_trends(patient.pk)
    assert [p.label for p in points] == ["Baseline intake", "Intake"]
    assert points[0].url.endswith(f"/intakes/{first.pk}/")


M = tr.MEASURE_BY_KEY


def test_it_has_no_change_rules_of_its_own():
    """§6.4 is implemented once, in intake/triage/change.py (tests/engine); the trends page shows its statuses."""
    assert not hasattr(tr, "change_status")
    assert set(tr.STATUS_LABEL) >= set(STATUSES)


def test_a_later_intake_is_not_compared_with_the_first(db):
    patient = make_patient()
    make_intake("NONE", patient=patient)
    make_intake("NONE", patient=patient)
    _points, trends = tr.patient_trends(patient.pk)
    assert [r.status for r in trends[0].rows] == ["baseline", "later_intake"]


def test_it_reads_the_mcid_thresholds_from_the_instrument_modules():
    from intake.triage.instruments import INSTRUMENTS

    assert (M["odi"].mcid_abs, M["odi"].mcid_pct) == (INSTRUMENTS["odi"].MCID["abs"], INSTRUMENTS["odi"].MCID["pct"])
    assert M["psfs"].direction == "higher_is_better"
