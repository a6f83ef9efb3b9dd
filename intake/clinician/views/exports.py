"""The de-identified outcomes export (clinician:outcomes_export), streamed as CSV."""

from __future__ import annotations

import csv

from django.http import StreamingHttpResponse
from django.utils import timezone

from ..roles import EXPORT_OUTCOMES
from ..selectors.outcomes import outcome_rows
from ..services import audit_record
from .access import staff_view


class _Echo:
    def write(self, value: str) -> str:
        return value


def outcomes_response(request, patient_ids: list[int] | None = None) -> StreamingHttpResponse:
    audit_record(
        request=request,
        action="export",
        object_type="outcomes",
        detail={"patients": len(patient_ids) if patient_ids is not None else "all"},
    )
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in outcome_rows(patient_ids)), content_type="text/csv"
    )
    response["Content-Disposition"] = f'attachment; filename="outcomes-{timezone.now():%Y%m%d}.csv"'
    return response


@staff_view(EXPORT_OUTCOMES)
def outcomes_export(request):
    return outcomes_response(request)
