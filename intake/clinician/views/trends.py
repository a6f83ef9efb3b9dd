"""Trends per patient (clinician:patient_trends): SVG charts with data tables."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render

from intake.models import Patient

from ..charts import trend_chart
from ..selectors.trends import MEASURES, patient_trends
from ..services import audit_record
from .access import clinical_view


@clinical_view()
def patient_trends_view(request, pk: int):
    patient = get_object_or_404(Patient, pk=pk)
    points, trends = patient_trends(patient.pk)
    audit_record(request=request, action="view", obj=patient, detail={"page": "trends"})
    charts = [(t, trend_chart(t, f"chart-{t.measure.key}")) for t in trends]
    shown = {t.measure.key for t in trends}
    context = {
        "patient": patient,
        "points": points,
        "charts": charts,
        "follow_ups": max(0, sum(1 for p in points if not p.missed) - 1),
        "not_measured": [m for m in MEASURES if m.key not in shown],
    }
    return render(request, "clinician/patient_trends.html", context)
