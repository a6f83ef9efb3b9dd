"""Admin actions on Patient for practice admins: export a patient's data, and erase it on request (intake/privacy.py).
Registered on the staff PatientAdmin (intake/clinician/admin.py) with `permissions=["privacy"]`."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from . import privacy


def _address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@admin.action(description=_("Export all data of the patient (zip: JSON and summary PDFs)"), permissions=["privacy"])
def export_patient_data(modeladmin, request, queryset):
    if queryset.count() != 1:
        modeladmin.message_user(request, _("Choose exactly one patient to export."), messages.WARNING)
        return None
    patient = queryset.get()
    content = privacy.patient_export(patient=patient, user=request.user, via="admin", ip_address=_address(request))
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="patient-{patient.pk}-export.zip"'
    response["Cache-Control"] = "no-store"
    return response


@admin.action(description=_("Erase the patient's data on request (cannot be undone)"), permissions=["privacy"])
def erase_patient_data(modeladmin, request, queryset):
    if request.POST.get("erase_confirmed") == "yes":
        erased = 0
        for patient in list(queryset):
            privacy.patient_erase(patient=patient, user=request.user, via="admin", ip_address=_address(request))
            erased += 1
        modeladmin.message_user(request, _("%(n)d patient(s) erased; the audit trail records it.") % {"n": erased},
                                messages.SUCCESS)
        return None
    patients = [(patient, privacy.patient_records(patient)) for patient in queryset]
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Erase patient data?"),
        "opts": modeladmin.model._meta,
        "patients": [(p, {m._meta.verbose_name_plural: len(rows) for m, rows in records.items()})
                     for p, records in patients],
        "queryset": queryset,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/intake/patient/erase_confirmation.html", context)
