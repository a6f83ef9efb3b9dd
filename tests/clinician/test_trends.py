"""clinician:patient_trends, the trend sources and the §6.4 change rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from intake.clinician.selectors import trends as tr

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
        return {self.baseline.patient_id: [tr.TrendPoint(when=when, label="6-week check-in", kind="checkin",
                                                         values={"nprs_back": 3}, window_days=28)]}


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


@pytest.mark.parametrize(
    ("key", "baseline", "value", "window", "expected"),
    [
        ("nprs_back", 6, 4, 28, "improved_meaningful"),  # ≥2 points
        ("nprs_back", 6, 5, 28, "no_meaningful_change"),
        ("nprs_back", 4, 7, 28, "worse_meaningful"),  # R4: symmetric
        ("nprs_back", 1, 0, 28, "not_assessable_floor"),  # R5: baseline < MCID
        ("rmdq", 3, 0, 28, "not_assessable_floor"),  # R5: RMDQ baseline < 4
        ("rmdq", 10, 7, 28, "improved_relative_only"),  # 30 % but < 5 points
        ("odi", 40, 29, 28, "improved_meaningful"),
        ("psfs", 3, 5.5, 28, "improved_meaningful"),  # higher is better, ≥2.3
        ("headache_days", 20, 10, 28, "improved_meaningful"),  # ≥50 %
        ("headache_days", 20, 12, 28, "no_meaningful_change"),
        ("headache_days", 20, 10, 14, "window_too_short"),  # R6: 2-week window
        ("headache_days", 3, 1, 28, "not_assessable_floor"),  # R6: baseline < 4
        ("midas", 15, 10, 28, "improved_meaningful"),  # ≥5 points when the baseline is 11–20
        ("midas", 30, 22, 28, "no_meaningful_change"),  # >20: ≥30 % needed
        ("midas", 30, 20, 28, "improved_meaningful"),
        ("midas", 8, 2, 28, "not_assessable_floor"),
        ("medication_days", 12, 2, 28, "no_threshold"),
    ],
)
def test_it_classifies_change_by_the_rules_of_6_4(key, baseline, value, window, expected):
    assert tr.change_status(M[key], baseline, value, window_days=window)[0] == expected


def test_it_does_not_compare_a_point_answered_outside_its_window():
    assert tr.change_status(M["nprs_back"], 8, 2, window_days=28, out_of_window=True)[0] == "out_of_window"


def test_it_reads_the_mcid_thresholds_from_the_instrument_modules():
    from intake.triage.instruments import INSTRUMENTS

    assert (M["odi"].mcid_abs, M["odi"].mcid_pct) == (INSTRUMENTS["odi"].MCID["abs"], INSTRUMENTS["odi"].MCID["pct"])
    assert M["psfs"].direction == "higher_is_better"
