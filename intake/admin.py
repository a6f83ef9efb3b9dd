"""Minimal staff admin for the patient side: patients, invitation links (create / re-send) and content packs.

A new link is shown to staff once, in the admin message; only its hash is stored (services.invitation_create).
The clinician dashboard and the full content-pack upload screen are separate issues.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import ContentPack, Invitation, Patient


def invitation_link(raw_token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("intake:start", args=[raw_token])


def _send_links(modeladmin, request, patients) -> None:
    for patient in patients:
        _invitation, raw = services.invitation_create(email=patient.email, patient=patient, created_by=request.user)
        text = _("New intake link for %(patient)s: %(link)s") % {"patient": patient, "link": invitation_link(raw)}
        modeladmin.message_user(request, text, messages.SUCCESS)


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin):
    list_display = ("__str__", "email", "date_of_birth", "created_at")
    search_fields = ("first_name", "last_name", "email")
    actions = ["create_invitation"]

    @admin.action(description=_("Create a new intake link"))
    def create_invitation(self, request, queryset):
        _send_links(self, request, queryset)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("patient", "created_at", "expires_at", "used_at", "created_by")
    list_filter = ("used_at",)
    search_fields = ("patient__first_name", "patient__last_name", "patient__email")
    readonly_fields = ("patient", "token_hash", "created_at", "expires_at", "used_at", "created_by")
    actions = ["create_new_link"]

    def has_add_permission(self, request) -> bool:
        return False  # links are made by the action or `manage.py invite`, which show the link once

    @admin.action(description=_("Create a new link for the same patient"))
    def create_new_link(self, request, queryset):
        patients = {inv.patient_id: inv.patient for inv in queryset.select_related("patient")}
        _send_links(self, request, patients.values())
        self.message_user(request, ngettext("%d link created.", "%d links created.", len(patients)) % len(patients))


@admin.register(ContentPack)
class ContentPackAdmin(admin.ModelAdmin):
    list_display = ("instrument", "active", "uploaded_at")
    list_filter = ("instrument", "active")
