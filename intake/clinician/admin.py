"""The staff admin site: patients, invitations (sent by email), intakes (answers and summary read-only), flags,
content packs (JSON upload, validated), users and groups, and the audit trail.

Roles (roles.py) decide what each person sees. Clinical fields (answers, summary, tier, flags) are shown only with
`clinician.view_clinical_data`: the front desk sees when an intake arrived and the check-in consent, nothing more.
Every change made here, and every view of a record with clinical data, goes to the audit trail.

The patient-side admins in intake/admin.py are extended here (subclassed and registered again), so the wizard's
admin keeps working on its own. The check-in app registers its models with `AuditedModelAdmin` and, where a model
carries answers or a summary, `ClinicalFieldsMixin` with its `clinical_fields`, exactly like IntakeAdmin below.
"""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from intake import admin as intake_admin
from intake import privacy, privacy_admin
from intake.models import ContentPack, Flag, Intake, Invitation, Patient

from . import labels, services
from .forms import ContentPackForm
from .models import AuditEvent, PatientAssignment
from .roles import EXPORT_OUTCOMES, VIEW_AUDIT, VIEW_CLINICAL
from .views.exports import outcomes_response

admin.site.site_header = _("Clinic intake — staff admin")
admin.site.site_title = _("Clinic intake staff admin")
admin.site.index_title = _("Records")
admin.site.site_url = "/clinic/"


def _replace(model, admin_class) -> None:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, admin_class)


def is_clinical(request) -> bool:
    return request.user.has_perm(VIEW_CLINICAL)


class AuditedAdminMixin:
    """Every add, change and delete goes to the audit trail; with `audit_views`, so does every record view."""

    audit_views = False

    def log_addition(self, request, obj, message):
        services.audit_record(request=request, action="create", obj=obj, detail={"change": _message(message)})
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        services.audit_record(request=request, action="change", obj=obj, detail={"change": _message(message)})
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            services.audit_record(request=request, action="delete", obj=obj)
        return super().log_deletions(request, queryset)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if self.audit_views and request.method == "GET" and response.status_code == 200:
            obj = response.context_data.get("original") if hasattr(response, "context_data") else None
            if obj is not None:
                services.audit_record(request=request, action="view", obj=obj, detail={"page": "admin"})
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if self.audit_views and response.status_code == 200 and is_clinical(request):
            services.audit_record(
                request=request, action="view", object_type=f"{self.model._meta.label_lower} list",
                detail={"query": request.GET.urlencode()[:300]},
            )
        return response


def _message(message):
    """The admin's change message (a list of {"added"|"changed"|"deleted": ...}, or text)."""
    return message if isinstance(message, str | list) else str(message)


class AuditedModelAdmin(AuditedAdminMixin, admin.ModelAdmin):
    pass


class ClinicalFieldsMixin:
    """Leaves out `clinical_fields` (form fields, columns, filters and search) for users without clinical access."""

    clinical_fields: tuple[str, ...] = ()
    clinical_search_fields: tuple[str, ...] = ()

    def _strip(self, request, names):
        if is_clinical(request):
            return list(names)
        return [n for n in names if n not in self.clinical_fields]

    def get_fields(self, request, obj=None):
        return self._strip(request, super().get_fields(request, obj))

    def get_readonly_fields(self, request, obj=None):
        return self._strip(request, super().get_readonly_fields(request, obj))

    def get_list_display(self, request):
        return self._strip(request, super().get_list_display(request))

    def get_list_filter(self, request):
        return self._strip(request, super().get_list_filter(request))

    def get_search_fields(self, request):
        fields = list(super().get_search_fields(request))
        return fields + list(self.clinical_search_fields) if is_clinical(request) else fields


# ---------------------------------------------------------------- patients and invitations
class PatientAssignmentInline(admin.StackedInline):
    model = PatientAssignment
    extra = 0
    max_num = 1
    can_delete = True
    verbose_name = _("clinician")
    fields = ("clinician", "assigned_at")
    readonly_fields = ("assigned_at",)


@admin.action(description=_("Send a new intake link by email"), permissions=["add_invitation"])
def send_invitation_email(modeladmin, request, queryset):
    sent = 0
    for patient in queryset:
        if not patient.email:
            modeladmin.message_user(request, _("%(p)s has no email address.") % {"p": patient}, messages.WARNING)
            continue
        try:
            invitation = services.invitation_send(patient=patient, created_by=request.user)
        except Exception as exc:  # noqa: BLE001 - one failed mail must not stop the others; staff see which
            modeladmin.message_user(request, _("Could not email %(p)s: %(e)s") % {"p": patient, "e": exc},
                                    messages.ERROR)
            continue
        services.audit_record(request=request, action="send", obj=invitation, detail={"by": "email"})
        sent += 1
    if sent:
        modeladmin.message_user(request, _("%(n)d intake link(s) sent by email.") % {"n": sent}, messages.SUCCESS)


class PatientAdmin(AuditedAdminMixin, intake_admin.PatientAdmin):
    list_display = ("__str__", "email", "date_of_birth", "clinician", "created_at")
    list_filter = ("created_at", "assignment__clinician")
    search_fields = ("first_name", "last_name", "email", "=date_of_birth")
    list_select_related = ("assignment__clinician",)
    inlines = [PatientAssignmentInline]
    actions = ["create_invitation", send_invitation_email, privacy_admin.export_patient_data,
               privacy_admin.erase_patient_data]

    def has_add_invitation_permission(self, request) -> bool:
        return request.user.has_perm("intake.add_invitation")

    def has_privacy_permission(self, request) -> bool:
        return privacy.can_handle_requests(request.user)  # export and erasure: practice admins (issue #7)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.has_add_invitation_permission(request):
            actions.pop("create_invitation", None)  # the wizard's action makes a link: front desk and admins only
        return actions

    @admin.display(description=_("clinician"), ordering="assignment__clinician__last_name")
    def clinician(self, obj):
        assignment = getattr(obj, "assignment", None)
        return str(assignment.clinician) if assignment else "—"


@admin.action(description=_("Send a new link to the same patient by email"), permissions=["add_invitation"])
def resend_invitation_email(modeladmin, request, queryset):
    patients = Patient.objects.filter(pk__in=queryset.values("patient_id"))
    send_invitation_email(modeladmin, request, patients)


class InvitationAdmin(AuditedAdminMixin, intake_admin.InvitationAdmin):
    list_select_related = ("patient", "created_by")
    list_filter = ("used_at", "created_at", "expires_at")
    actions = ["create_new_link", resend_invitation_email]

    def has_add_permission(self, request) -> bool:
        return False  # links are made by the actions or `manage.py invite`, which show or send the link once

    def has_add_invitation_permission(self, request) -> bool:
        return request.user.has_perm("intake.add_invitation")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.has_add_invitation_permission(request):
            actions.pop("create_new_link", None)
        return actions


# ---------------------------------------------------------------- intakes and flags
class FlagInline(admin.TabularInline):
    model = Flag
    extra = 0
    can_delete = False
    fields = ("flag_id", "tier", "action", "triggered_by", "acknowledged_at", "acknowledged_by", "acknowledgement_note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return is_clinical(request) and super().has_view_permission(request, obj)


class IntakeAdmin(ClinicalFieldsMixin, AuditedModelAdmin):
    audit_views = True
    list_display = ("__str__", "patient", "submitted_at", "tier", "flag_ids", "checkins_opt_in")
    list_filter = ("overall_tier", "triage_status", "submitted_at", "checkins_opt_in")
    list_select_related = ("patient",)
    search_fields = ("patient__first_name", "patient__last_name", "=patient__date_of_birth")
    clinical_search_fields = ("flags__flag_id",)
    date_hierarchy = "submitted_at"
    fields = (
        "patient", "submitted_at", "privacy_accepted_at", "checkins_opt_in", "checkins_opt_in_at",
        "overall_tier", "triage_status", "triage_error", "rules_version", "emergency_acknowledged_at",
        "summary_link", "answers_pretty", "summary_pretty",
    )
    readonly_fields = fields
    # __str__ names the tier: the front desk sees the list without it and cannot open an intake.
    clinical_fields = (
        "__str__", "overall_tier", "triage_status", "triage_error", "rules_version", "emergency_acknowledged_at",
        "summary_link", "answers_pretty", "summary_pretty", "tier", "flag_ids", "tier_rank",
    )
    actions = ["export_outcomes"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if not is_clinical(request):
            return qs.defer("answers", "summary", "triage_error")
        return qs.prefetch_related("flags")

    def get_inlines(self, request, obj):
        return [FlagInline] if is_clinical(request) else []

    def get_list_display_links(self, request, list_display):
        return super().get_list_display_links(request, list_display) if is_clinical(request) else None

    def has_view_permission(self, request, obj=None) -> bool:
        if obj is not None and not is_clinical(request):
            return False
        return super().has_view_permission(request, obj)

    def has_add_permission(self, request) -> bool:
        return False  # intakes come from the patient's link

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a submitted intake is a clinical record: read-only

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_export_outcomes_permission(self, request) -> bool:
        return request.user.has_perm(EXPORT_OUTCOMES)

    @admin.display(description=_("tier"), ordering="-tier_rank")
    def tier(self, obj):
        return labels.tier_label(obj.overall_tier, obj.triage_failed)

    @admin.display(description=_("flags"))
    def flag_ids(self, obj):
        return ", ".join(f.flag_id for f in obj.flags.all()) or "—"

    @admin.display(description=_("clinician summary"))
    def summary_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("clinician:intake_summary", args=[obj.pk]),
                           _("Open the clinician summary"))

    @admin.display(description=_("answers"))
    def answers_pretty(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.answers, indent=2, ensure_ascii=False))

    @admin.display(description=_("summary"))
    def summary_pretty(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.summary, indent=2, ensure_ascii=False))

    @admin.action(description=_("Export de-identified outcomes of these patients (CSV)"),
                  permissions=["export_outcomes"])
    def export_outcomes(self, request, queryset):
        return outcomes_response(request, sorted(set(queryset.values_list("patient_id", flat=True))))


class FlagAdmin(AuditedModelAdmin):
    audit_views = True
    list_display = ("flag_id", "intake", "tier", "action", "acknowledged_at", "acknowledged_by")
    list_filter = ("flag_id", "tier", "action", ("acknowledged_at", admin.EmptyFieldListFilter))
    list_select_related = ("intake__patient", "acknowledged_by")
    search_fields = ("flag_id", "intake__patient__first_name", "intake__patient__last_name")
    readonly_fields = ("intake", "flag_id", "tier", "action", "triggered_by", "acknowledged_at", "acknowledged_by",
                       "acknowledgement_note")
    fields = readonly_fields

    def has_view_permission(self, request, obj=None) -> bool:
        return is_clinical(request) and super().has_view_permission(request, obj)

    def has_module_permission(self, request) -> bool:
        return is_clinical(request) and super().has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # flags are acknowledged on the clinician summary, with a note (services.flag_acknowledge)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# ---------------------------------------------------------------- content packs
class ContentPackAdmin(AuditedAdminMixin, intake_admin.ContentPackAdmin):
    form = ContentPackForm
    list_display = ("instrument", "title", "active", "uploaded_at")
    search_fields = ("instrument",)
    readonly_fields = ("uploaded_at",)

    @admin.display(description=_("title"))
    def title(self, obj):
        return (obj.content or {}).get("title", "") if isinstance(obj.content, dict) else ""

    def save_model(self, request, obj, form, change):
        services.content_pack_install(pack=obj)


# ---------------------------------------------------------------- audit trail
@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "ip_address", "action", "object_type", "object_id", "object_repr", "patient_pk")
    list_filter = ("action", "object_type", "at")
    search_fields = ("username", "object_repr", "=object_id", "=ip_address", "=patient_pk")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
    list_per_page = 100

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm(VIEW_AUDIT)

    def has_module_permission(self, request) -> bool:
        return request.user.has_perm(VIEW_AUDIT)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# ---------------------------------------------------------------- users and groups
class StaffUserAdmin(AuditedAdminMixin, UserAdmin):
    list_filter = ("groups", "is_staff", "is_active", "is_superuser")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # A practice admin manages staff through the role groups; only a superuser can make a superuser or grant
        # permissions one by one.
        cleaned = []
        for name, options in fieldsets:
            fields = tuple(f for f in options.get("fields", ()) if f not in ("is_superuser", "user_permissions"))
            cleaned.append((name, {**options, "fields": fields}))
        return cleaned


class StaffGroupAdmin(AuditedAdminMixin, GroupAdmin):
    pass


_replace(Patient, PatientAdmin)
_replace(Invitation, InvitationAdmin)
_replace(ContentPack, ContentPackAdmin)
_replace(Intake, IntakeAdmin)
_replace(Flag, FlagAdmin)
_replace(get_user_model(), StaffUserAdmin)
_replace(Group, StaffGroupAdmin)
