"""The worklist (clinician:worklist) and its poll for new emergencies (clinician:worklist_poll)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ..forms import WorklistFilterForm
from ..selectors.worklist import clinician_choices, worklist_new_emergencies, worklist_page
from ..services import audit_record
from .access import clinical_view

RESULTS_ID = "worklist-results"


@clinical_view()
def worklist(request):
    form = WorklistFilterForm(request.GET or None, clinicians=clinician_choices())
    if form.is_bound:
        form.is_valid()
    filters = form.filters(request.user)
    page, rows = worklist_page(filters, request.GET.get("page") or 1, per_page=settings.WORKLIST_PAGE_SIZE)
    audit_record(
        request=request,
        action="view",
        object_type="worklist",
        detail={"filters": {k: v for k, v in request.GET.items() if v}, "items": [f"{r.kind}:{r.pk}" for r in rows]},
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "filtered": any(v for k, v in request.GET.items() if k != "page"),
        "poll_url": _poll_url(),
        "poll_seconds": settings.WORKLIST_POLL_SECONDS,
        "results_id": RESULTS_ID,
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == RESULTS_ID:
        return render(request, "clinician/_worklist_results.html", context)
    return render(request, "clinician/worklist.html", context)


def _poll_url(since=None) -> str:
    return f"{reverse('clinician:worklist_poll')}?{urlencode({'since': (since or timezone.now()).isoformat()})}"


@clinical_view()
def worklist_poll(request):
    """204 (htmx swaps nothing) until an EMERGENCY-tier or failed item arrives; then an alert, and the
    `worklist-refresh` event reloads the list. The alert carries a count only, never patient data."""
    now = timezone.now()
    since = parse_datetime((request.GET.get("since") or "").replace(" ", "+")) or now
    if timezone.is_naive(since):
        since = timezone.make_aware(since)
    count = worklist_new_emergencies(since)
    if not count:
        return HttpResponse(status=204)
    response = render(
        request,
        "clinician/_worklist_poll.html",
        {"count": count, "poll_url": _poll_url(now), "poll_seconds": settings.WORKLIST_POLL_SECONDS, "at": now},
    )
    response["HX-Trigger"] = "worklist-refresh"
    return response
