"""The consent part of the review page: the privacy notice (required) and the check-in opt-in (optional)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ConsentForm(forms.Form):
    privacy = forms.BooleanField(
        label=_("I have read the privacy notice above and agree that the clinic stores and uses my answers as it "
                "describes."),
        error_messages={"required": _("Please confirm that you have read the privacy notice, so we can store your "
                                      "answers.")},
    )
    checkins = forms.BooleanField(
        required=False,
        label=_("Yes, send me short follow-up check-ins by email about how I am doing (optional)."),
        help_text=_("You can stop them at any time."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_%s")
        super().__init__(*args, **kwargs)
