from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ClinicianConfig(AppConfig):
    name = "intake.clinician"
    label = "clinician"
    verbose_name = "Clinician dashboard"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .roles import roles_sync_after_migrate

        # The data migration creates the roles; this keeps them complete when a later app (e.g. check-ins) adds
        # models whose permissions a role lists (roles.ROLE_PERMISSIONS).
        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="clinician.roles_sync")
