"""Two-factor set-up (clinician:2fa_setup) and the code asked after the password (clinician:2fa_verify)."""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import services

DEVICE_NAME = "Authenticator app"


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("6-digit code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autocapitalize": "none", "pattern": "[0-9 ]*"}),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].replace(" ", "")


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _verified(request) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


@never_cache
@login_required
def two_factor_setup(request):
    if user_has_device(request.user, confirmed=True) and not _verified(request):
        return redirect(f"{resolve_url('clinician:2fa_verify')}?{urlencode({'next': _next(request)})}")
    # One unconfirmed device per user, so reloading the page keeps the same QR code.
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=DEVICE_NAME, confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            services.audit_record(request=request, action="create", object_type="two-factor device",
                                  detail={"device": device.persistent_id})
            return redirect(_next(request))
        form.add_error("token", _("That code did not match. Check the time on your phone and try the next code."))
    secret = b32encode(device.bin_key).decode("ascii")
    context = {
        "form": form,
        "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff"),
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "next": _next(request),
    }
    return render(request, "clinician/2fa_setup.html", context, status=400 if form.errors else 200)


@never_cache
@login_required
def two_factor_verify(request):
    devices = list(devices_for_user(request.user, confirmed=True))
    if not devices:
        return redirect(f"{resolve_url('clinician:2fa_setup')}?{urlencode({'next': _next(request)})}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices:
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect(_next(request))
        form.add_error("token", _("That code did not match. Wait for the next code and try again."))
    return render(request, "clinician/2fa_verify.html", {"form": form, "next": _next(request)},
                  status=400 if form.errors else 200)
