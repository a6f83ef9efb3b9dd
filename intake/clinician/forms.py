"""Forms of the clinician pages: worklist filters, flag acknowledgement, review, and the content-pack upload."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from intake.content.packs import LICENSED, validate_pack
from intake.models import ContentPack
from intake.triage.red_flags import RULES

from . import labels, services
from .selectors.worklist import FAILED, WorklistFilters

STATUS_CHOICES = [("awaiting", _("Awaiting review")), ("reviewed", _("Reviewed")), ("all", _("All"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class WorklistFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("A name, or a date of birth as YYYY-MM-DD or DD/MM/YYYY."),
    )
    tier = forms.ChoiceField(label=_("Tier"), required=False)
    flag = forms.ChoiceField(label=_("Flag ID"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)
    clinician = forms.ChoiceField(label=_("Clinician"), required=False)
    date_from = forms.DateField(label=_("Submitted from"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Submitted to"), required=False, widget=DateInput())

    def __init__(self, *args, clinicians: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].choices = [
            ("", _("All tiers")),
            (FAILED, labels.FAILED),
            *[(code, label) for code, label in labels.TIER.items()],
        ]
        self.fields["flag"].choices = [("", _("Any flag")), *[(r.id, f"{r.id} — {r.title}") for r in RULES]]
        self.fields["clinician"].choices = [
            ("", _("Any clinician")),
            ("me", _("My patients")),
            ("none", _("No clinician set")),
            *clinicians,
        ]
        for name, field in self.fields.items():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", css)
            field.widget.attrs.setdefault("id", f"filter-{name.replace('_', '-')}")
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{field.widget.attrs['id']}-help"
        self.fields["q"].widget.input_type = "search"  # an attribute "type" would write type= twice

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["class"] += " is-invalid"
                attrs["aria-describedby"] = " ".join(
                    filter(None, [attrs.get("aria-describedby"), f"{attrs['id']}-error"])
                )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self, user) -> WorklistFilters:
        """The filters of the valid fields (an invalid field is ignored and shown with its error)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        clinician = data.get("clinician") or ""
        if clinician == "me":
            clinician = str(user.pk)
        tier = data.get("tier") or ""
        return WorklistFilters(
            tiers=(tier,) if tier else (),
            flag_id=data.get("flag") or "",
            status=data.get("status") or "awaiting",
            clinician=clinician,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            q=data.get("q") or "",
        )


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=services.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        help_text=_("What was done, e.g. \"Phoned patient, advised emergency department\"."),
    )

    def __init__(self, *args, flag=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.flag = flag
        if flag is not None:
            self.fields["note"].widget.attrs["id"] = f"ack-note-{flag.pk}"
            self.fields["note"].widget.attrs["aria-describedby"] = f"ack-note-{flag.pk}-help"

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        # An emergency or urgent flag needs a record of what was done (reference.md §0.3).
        if not note and self.flag is not None and self.flag.tier in ("EMERGENCY", "URGENT"):
            raise forms.ValidationError(_("Write what was done about this flag."))
        return note


class CheckInAcknowledgeForm(forms.Form):
    """Acknowledge a check-in response (its new red flags, notes and free text) as reviewed."""

    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=services.NOTE_MAX,
        widget=forms.Textarea(
            attrs={"rows": 2, "class": "form-control", "id": "checkin-ack-note",
                   "aria-describedby": "checkin-ack-note-help"}
        ),
        help_text=_("What was done, e.g. \"Phoned patient, advised emergency department\"."),
    )

    def __init__(self, *args, view=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.view = view

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        # A new emergency or urgent flag needs a record of what was done (reference.md §0.3).
        if not note and self.view is not None and self.view.urgent_new_flags:
            raise forms.ValidationError(_("Write what was done about the new red flags."))
        return note


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Review note (optional)"),
        required=False,
        max_length=services.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control", "id": "review-note"}),
    )


class ContentPackForm(forms.ModelForm):
    """Upload a clinic's licensed wording as a JSON file (or paste it), validated against the instrument's item
    count and scale by intake/content/packs.py before it can be saved."""

    upload = forms.FileField(
        label=_("Pack file (JSON)"),
        required=False,
        help_text=_("A .json file in the content-pack format; it replaces the wording below."),
    )
    instrument = forms.ChoiceField(label=_("Instrument"), choices=[(k, k) for k in LICENSED])

    class Meta:
        model = ContentPack
        fields = ["instrument", "upload", "content", "copyright_notice", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "content" in self.fields:  # absent on a read-only (view permission) page
            self.fields["content"].required = False

    def _get_validation_exclusions(self):
        # "One active pack per instrument" is kept by services.content_pack_install, which deactivates the old
        # pack in the same transaction; validating it here would refuse every replacement.
        exclude = super()._get_validation_exclusions()
        exclude.add("active")
        return exclude

    def clean(self):
        data = super().clean()
        upload = data.get("upload")
        if upload is not None:
            if upload.size > 1_000_000:
                raise forms.ValidationError({"upload": _("The file is larger than 1 MB.")})
            try:
                data["content"] = services.content_pack_parse(upload.read())
            except ValueError as exc:
                raise forms.ValidationError({"upload": str(exc)}) from exc
            self.instance.content = data["content"]
        if data.get("content") in (None, ""):
            raise forms.ValidationError({"content": _("Upload a pack file or paste its JSON.")})
        instrument = data.get("instrument")
        if instrument:
            errors = validate_pack(instrument, data["content"])
            if errors:
                raise forms.ValidationError({"upload" if upload is not None else "content": errors})
        return data
