"""One check-in response for the clinician (clinician:checkin_response) and its acknowledgement. The same role
checks and audit recording as the intake summary: clinical roles only, every view and acknowledgement recorded."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from intake.checkins import services as checkin_services
from intake.checkins.selectors import response_for_page

from .. import services
from ..forms import CheckInAcknowledgeForm
from ..roles import ACKNOWLEDGE_FLAG
from ..selectors.checkin import checkin_response_view
from .access import clinical_view


def _context(request, response, form=None) -> dict:
    view = checkin_response_view(response)
    return {
        "c": view,
        "response": response,
        "patient": response.patient,
        "ack_form": form or CheckInAcknowledgeForm(view=view),
        "can_acknowledge": request.user.has_perm(ACKNOWLEDGE_FLAG),
    }


@clinical_view()
def checkin_response(request, pk: int):
    response = response_for_page(pk)
    services.audit_record(request=request, action="view", obj=response)
    return render(request, "clinician/checkin_response.html", _context(request, response))


@require_POST
@clinical_view(ACKNOWLEDGE_FLAG)
def checkin_response_acknowledge(request, pk: int):
    response = response_for_page(pk)
    view = checkin_response_view(response)
    form = CheckInAcknowledgeForm(request.POST, view=view)
    if not form.is_valid():
        services.audit_record(request=request, action="view", obj=response)
        return render(request, "clinician/checkin_response.html", _context(request, response, form), status=400)
    if response.acknowledged_at is not None:
        messages.warning(request, _("This check-in had already been acknowledged."))
        return redirect("clinician:checkin_response", pk=response.pk)
    checkin_services.response_acknowledge(response=response, user=request.user, note=form.cleaned_data["note"])
    services.audit_record(
        request=request, action="acknowledge", obj=response, detail={"new_red_flags": view.new_flag_ids}
    )
    messages.success(request, _("Check-in acknowledged."))
    return redirect("clinician:worklist")
