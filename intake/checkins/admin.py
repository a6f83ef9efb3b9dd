"""Staff admin: the clinic's schedule, the check-ins (failed sends are filtered in the list, with a retry action)
and the responses (a clinician marks them reviewed). Clinical fields follow the roles of intake.clinician."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import CheckIn, CheckInPlan, CheckInResponse, CheckInSchedule


@admin.register(CheckInSchedule)
class CheckInScheduleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "send_hour", "reminder_after_days", "late_answer_days", "alert_email", "updated_at")
    fieldsets = (
        (_("Time points (reference §6.2)"), {"fields": ("week2", "week6", "week12", "week26", "week52")}),
        (_("Sending"), {"fields": ("send_hour", "reminder_after_days", "late_answer_days", "alert_email")}),
    )

    def has_add_permission(self, request) -> bool:
        return not CheckInSchedule.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class CheckInInline(admin.TabularInline):
    model = CheckIn
    extra = 0
    can_delete = False
    fields = ("time_point", "status", "due_at", "window_closes_at", "sent_at", "reminder_sent_at", "attempts")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CheckInPlan)
class CheckInPlanAdmin(admin.ModelAdmin):
    list_display = ("patient", "intake", "created_at", "clinician_email", "opted_out_at")
    list_filter = (("opted_out_at", admin.EmptyFieldListFilter),)
    search_fields = ("patient__first_name", "patient__last_name", "patient__email")
    readonly_fields = ("intake", "patient", "time_zone", "created_at", "opted_out_at", "opted_out_via")
    fields = ("patient", "intake", "time_zone", "clinician_email", "created_at", "opted_out_at", "opted_out_via")
    inlines = [CheckInInline]
    actions = ["opt_out"]

    def has_add_permission(self, request) -> bool:
        return False  # made by intake_submit from the patient's consent

    @admin.action(description=_("Stop the check-ins of these patients (recorded as a staff opt-out)"))
    def opt_out(self, request, queryset):
        total = sum(services.plan_opt_out(plan=plan, via="staff") for plan in queryset)
        self.message_user(request, ngettext("%d check-in cancelled.", "%d check-ins cancelled.", total) % total)


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ("patient", "time_point", "status", "due_at", "sent_at", "attempts", "last_error")
    list_filter = ("status", "time_point", ("reminder_sent_at", admin.EmptyFieldListFilter))
    search_fields = ("patient__first_name", "patient__last_name", "patient__email")
    date_hierarchy = "due_at"
    actions = ["retry"]
    exclude = ("draft", "link_nonce")
    readonly_fields = tuple(f.name for f in CheckIn._meta.fields if f.name not in ("id", "draft", "link_nonce"))

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Send failed check-ins again"))
    def retry(self, request, queryset):
        done = sum(services.checkin_retry(checkin=c) for c in queryset)
        self.message_user(
            request,
            ngettext("%d check-in rescheduled.", "%d check-ins rescheduled.", done) % done,
            messages.SUCCESS if done else messages.WARNING,
        )


@admin.register(CheckInResponse)
class CheckInResponseAdmin(admin.ModelAdmin):
    list_display = (
        "patient",
        "checkin",
        "overall_tier",
        "tier_rank",
        "submitted_at",
        "acknowledged_at",
        "alert_status",
    )
    list_filter = ("overall_tier", "triage_status", "alert_status", ("acknowledged_at", admin.EmptyFieldListFilter))
    search_fields = ("patient__first_name", "patient__last_name")
    ordering = ("-tier_rank", "submitted_at")
    actions = ["mark_reviewed"]
    readonly_fields = tuple(
        f.name for f in CheckInResponse._meta.fields if f.name not in ("id", "acknowledgement_note")
    )

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Mark as reviewed"))
    def mark_reviewed(self, request, queryset):
        for response in queryset:
            services.response_acknowledge(response=response, user=request.user)
        self.message_user(request, _("Marked as reviewed."))
