"""One intake for the clinician: summary (clinician:intake_summary), explain, print, PDF, acknowledge, review."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from intake.models import Flag

from .. import services
from ..forms import AcknowledgeForm, ReviewForm
from ..pdf import summary_pdf
from ..roles import ACKNOWLEDGE_FLAG, REVIEW_INTAKE
from ..selectors.summary import answer_rows, explain_view, intake_for_summary, summary_view
from .access import clinical_view


def _context(request, intake, ack_forms=None, review_form=None) -> dict:
    view = summary_view(intake)
    ack_forms = ack_forms or {}
    for flag in view.red_flags:
        if flag.row is not None and flag.row.acknowledged_at is None:
            flag.form = ack_forms.get(flag.row.pk) or AcknowledgeForm(flag=flag.row)
    return {
        "s": view,
        "intake": intake,
        "patient": intake.patient,
        "review": getattr(intake, "review", None),
        "answers": answer_rows(intake.answers),
        "review_form": review_form or ReviewForm(),
        "can_acknowledge": request.user.has_perm(ACKNOWLEDGE_FLAG),
        "can_review": request.user.has_perm(REVIEW_INTAKE),
    }


@clinical_view()
def intake_summary(request, pk: int):
    intake = intake_for_summary(pk)
    services.audit_record(request=request, action="view", obj=intake)
    return render(request, "clinician/intake_summary.html", _context(request, intake))


@clinical_view()
def intake_explain(request, pk: int):
    intake = intake_for_summary(pk)
    groups, clear = explain_view(intake)
    services.audit_record(request=request, action="view", obj=intake, detail={"page": "explain"})
    context = {"intake": intake, "patient": intake.patient, "s": summary_view(intake), "groups": groups, "clear": clear}
    return render(request, "clinician/intake_explain.html", context)


@clinical_view()
def intake_print(request, pk: int):
    intake = intake_for_summary(pk)
    services.audit_record(request=request, action="view", obj=intake, detail={"page": "print"})
    return render(request, "clinician/intake_print.html", _context(request, intake))


@clinical_view()
def intake_pdf(request, pk: int):
    intake = intake_for_summary(pk)
    services.audit_record(request=request, action="view", obj=intake, detail={"page": "pdf"})
    response = HttpResponse(summary_pdf(summary_view(intake)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="intake-{intake.pk}-summary.pdf"'
    return response


@require_POST
@clinical_view(ACKNOWLEDGE_FLAG)
def flag_acknowledge(request, pk: int):
    flag = get_object_or_404(Flag.objects.select_related("intake"), pk=pk)
    form = AcknowledgeForm(request.POST, flag=flag)
    if not form.is_valid():
        intake = intake_for_summary(flag.intake_id)
        services.audit_record(request=request, action="view", obj=intake)
        context = _context(request, intake, ack_forms={flag.pk: form})
        return render(request, "clinician/intake_summary.html", context, status=400)
    try:
        services.flag_acknowledge(flag=flag, user=request.user, note=form.cleaned_data["note"])
    except services.FlagAlreadyAcknowledged:
        messages.warning(request, _("%(flag)s had already been acknowledged.") % {"flag": flag.flag_id})
    else:
        services.audit_record(request=request, action="acknowledge", obj=flag, detail={"flag_id": flag.flag_id})
        messages.success(request, _("%(flag)s acknowledged.") % {"flag": flag.flag_id})
    return redirect(reverse("clinician:intake_summary", args=[flag.intake_id]) + f"#flag-{flag.flag_id}")


@require_POST
@clinical_view(REVIEW_INTAKE)
def intake_review(request, pk: int):
    intake = intake_for_summary(pk)
    form = ReviewForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.intake_mark_reviewed(intake=intake, user=request.user, note=note)
    except services.ReviewBlocked as exc:
        messages.error(
            request,
            _("Acknowledge every flag before marking the intake reviewed: %(flags)s.")
            % {"flags": ", ".join(exc.flag_ids)},
        )
        return redirect("clinician:intake_summary", pk=intake.pk)
    services.audit_record(request=request, action="review", obj=intake)
    messages.success(request, _("Intake marked reviewed."))
    return redirect("clinician:worklist")
