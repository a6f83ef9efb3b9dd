"""API tokens in the admin: a new token is shown once, in the admin message; only its hash is stored."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import SCOPES, ApiToken


class ApiTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(choices=SCOPES, widget=forms.CheckboxSelectMultiple, required=False,
                                       label=_("scopes"))

    class Meta:
        model = ApiToken
        fields = ("name", "scopes", "expires_at")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = ApiTokenForm
    list_display = ("name", "prefix", "scopes", "created_at", "expires_at", "revoked_at", "last_used_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix")
    readonly_fields = ("prefix", "created_at", "created_by", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        raw = None
        if not change:
            raw = ApiToken.new_token()
            obj.set_token(raw)
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if raw:
            text = _("API token for %(name)s (shown only now, copy it): %(token)s") % {"name": obj.name, "token": raw}
            self.message_user(request, text, messages.WARNING)

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, _("%d tokens revoked.") % count)
