"""Records of the FHIR interface: API tokens, other systems' patient identifiers, and imported responses.

The Patient and Intake rows belong to the `intake` app; this app never changes their schema.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake.models import token_hash

READ = "fhir.read"
WRITE = "fhir.write"
SCOPES = ((READ, _("Read: Questionnaires, QuestionnaireResponses and summaries")),
          (WRITE, _("Write: post QuestionnaireResponses (new intakes)")))
TOKEN_PREFIX = "cit_"  # noqa: S105 - a public prefix that makes leaked tokens easy to spot, not a secret


class ApiToken(models.Model):
    """A bearer token for another system (`Authorization: Bearer <token>`), created in the admin.

    Only the SHA-256 hash is stored; the token is shown once, when it is made. Scopes limit what it may do.
    """

    name = models.CharField(_("name"), max_length=100, help_text=_("Which system uses it, e.g. 'EHR bridge'."))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("starts with"), max_length=12, editable=False)
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_token() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)  # 256 bits of randomness

    def set_token(self, raw: str) -> None:
        self.token_hash = token_hash(raw)
        self.prefix = raw[:10]

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        known = {code for code, _label in SCOPES}
        if not isinstance(self.scopes, list) or not set(self.scopes) <= known:
            raise ValidationError({"scopes": _("Scopes must be a list of: %s") % ", ".join(sorted(known))})


class PatientIdentifier(models.Model):
    """Another system's identifier of one of our patients (QuestionnaireResponse.subject.identifier)."""

    patient = models.ForeignKey("intake.Patient", on_delete=models.CASCADE, related_name="fhir_identifiers")
    system = models.CharField(max_length=255)
    value = models.CharField(max_length=255)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["system", "value"], name="one_patient_per_identifier")]

    def __str__(self) -> str:
        return f"{self.system}|{self.value} → patient {self.patient_id}"


class ResponseImport(models.Model):
    """An intake that came in as a QuestionnaireResponse: from whom, and the sender's identifier of it.

    With an identifier, posting the same response again returns the intake made the first time (a retry never
    makes a second intake).
    """

    intake = models.OneToOneField("intake.Intake", on_delete=models.CASCADE, related_name="fhir_import")
    identifier_system = models.CharField(max_length=255, blank=True)
    identifier_value = models.CharField(max_length=255, blank=True)
    api_token = models.ForeignKey(ApiToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    authored = models.CharField(max_length=40, blank=True)  # QuestionnaireResponse.authored, as sent
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["identifier_system", "identifier_value"],
                condition=~models.Q(identifier_value=""),
                name="one_intake_per_response_identifier",
            )
        ]

    def __str__(self) -> str:
        return f"Imported intake {self.intake_id}"
