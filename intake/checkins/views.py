"""The patient's check-in pages: the e-mailed link opens the form; the answers go through the engine; the result
page shows the same safety screens as at intake (emergency advice to acknowledge, crisis resources for MH-SI).

Views are thin: links.py resolves the link, forms.py words the questions, services.py stores and alerts.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from intake.triage.errors import InvalidInput

from . import links, services
from .forms import CheckInForm
from .models import CheckIn, CheckInResponse

SESSION_RESPONSE = "checkin_response_id"
LINK_STATUS = {"unknown": 404, "expired": 410, "used": 410, "cancelled": 410}


def link_error(request: HttpRequest, reason: str) -> HttpResponse:
    return render(
        request,
        "checkin/link_error.html",
        {"reason": reason, "has_result": bool(request.session.get(SESSION_RESPONSE))},
        status=LINK_STATUS[reason],
    )


def _view(checkin: CheckIn) -> dict:
    return services.checkin_view(checkin=checkin)


def _render(request, checkin: CheckIn, form: CheckInForm, errors=None, status: int = 200) -> HttpResponse:
    return render(
        request,
        "checkin/form.html",
        {
            "checkin": checkin,
            "form": form,
            "sections": form.sections(),
            "errors": errors or [],
            "page": form.page,
            "clinic_name": settings.CLINIC_NAME,
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def checkin_form(request: HttpRequest, token: str) -> HttpResponse:
    try:
        checkin = links.checkin_from_token(token)
    except links.LinkInvalid as exc:
        return link_error(request, exc.reason)
    intake = checkin.plan.intake
    view = _view(checkin)
    page = 2 if request.POST.get("page") == "2" and checkin.draft else 1
    if request.method != "POST":
        return _render(request, checkin, CheckInForm(view=view, baseline=intake.answers))
    form = CheckInForm(view=view, baseline=intake.answers, page=page, data=request.POST)
    if not form.is_valid():
        return _render(
            request,
            checkin,
            form,
            [{"label": form.fields[n].label, "message": e[0], "anchor": f"div_id_{n}"} for n, e in form.errors.items()],
        )
    answers = form.answers()
    if page == 2:
        answers = {
            **checkin.draft,
            "instruments": {**checkin.draft.get("instruments", {}), **answers.get("instruments", {})},
        }
    errors = services.checkin_validate(checkin=checkin, answers=answers)
    cascade = [e for e in errors if e.field in ("instruments.phq9", "instruments.gad7") and e.problem == "required"]
    if page == 1 and cascade and len(cascade) == len(errors):
        # §6.1 item 9: a PHQ-4 subscale of 3 or more asks PHQ-9 and GAD-7 (PHQ-9 item 9 is the MH-SI screen).
        services.checkin_save_draft(checkin=checkin, answers=answers)
        return _render(request, checkin, CheckInForm(view=view, baseline=intake.answers, page=2))
    if errors:
        summary = form.add_engine_errors(errors)
        return _render(request, checkin, form, summary)
    try:
        response = services.response_submit(checkin=checkin, answers=answers)
    except InvalidInput as exc:
        return _render(request, checkin, form, form.add_engine_errors(exc.errors))
    except services.AlreadyAnswered:
        return link_error(request, "used")
    request.session[SESSION_RESPONSE] = response.pk
    return redirect("checkins:result")


def _response(request: HttpRequest) -> CheckInResponse | None:
    pk = request.session.get(SESSION_RESPONSE)
    return CheckInResponse.objects.filter(pk=pk).first() if pk else None


def patient_screen(response: CheckInResponse) -> dict:
    """Contract C.5 of the follow-up summary. A failed summary shows the normal thank-you (clinicians see "summary
    failed"), but crisis resources still follow PHQ-9 item 9 (§2.5)."""
    if response.summary:
        return dict(response.summary["patient_screen"])
    phq9 = ((response.answers or {}).get("instruments") or {}).get("phq9")
    crisis = isinstance(phq9, list) and len(phq9) == 9 and isinstance(phq9[8], int) and phq9[8] >= 1
    return {"screen": "none", "must_acknowledge": False, "crisis_resources": crisis}


@require_http_methods(["GET", "HEAD"])
def result(request: HttpRequest) -> HttpResponse:
    response = _response(request)
    if response is None:
        return link_error(request, "unknown")
    screen = patient_screen(response)
    return render(
        request,
        "checkin/result.html",
        {
            "screen": screen,
            "crisis_text": settings.CRISIS_RESOURCES_TEXT if screen["crisis_resources"] else "",
            "clinic_name": settings.CLINIC_NAME,
            "locked": screen["must_acknowledge"] and response.emergency_acknowledged_at is None,
        },
    )


@require_POST
def acknowledge(request: HttpRequest) -> HttpResponse:
    response = _response(request)
    if response is None:
        return link_error(request, "unknown")
    services.response_acknowledge_emergency(response=response)
    return redirect("checkins:result")


@require_http_methods(["GET", "HEAD", "POST"])
def opt_out(request: HttpRequest, token: str) -> HttpResponse:
    """Every e-mail's opt-out link. GET asks (mail scanners open links); POST stops the check-ins (also the RFC 8058
    one-click POST of a mail client)."""
    try:
        plan = links.plan_from_token(token)
    except links.LinkInvalid as exc:
        return link_error(request, exc.reason)
    if request.method == "POST":
        if plan.opted_out_at is None:
            services.plan_opt_out(plan=plan, via="email_link")
        return render(request, "checkin/opt_out_done.html", {"clinic_name": settings.CLINIC_NAME})
    return render(
        request,
        "checkin/opt_out.html",
        {"plan": plan, "already": plan.opted_out_at is not None, "clinic_name": settings.CLINIC_NAME},
    )
