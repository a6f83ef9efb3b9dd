from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "intake.fhir"
    label = "fhir"
    verbose_name = "FHIR interoperability"
    default_auto_field = "django.db.models.BigAutoField"
