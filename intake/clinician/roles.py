"""Staff roles: Django groups and the permissions each holds (issue #5).

- Clinician: the clinical data of the practice (worklist, summaries, answers, flags, trends); acknowledges flags.
- Front desk: patients, invitations, the patient's clinician and check-in schedules; never clinical summaries,
  answers, tiers or flags (the admin hides those fields without `clinician.view_clinical_data`).
- Practice admin: everything, plus the audit trail, users and groups, content packs and the outcomes export.

The data migration 0002_roles creates the groups; `roles_sync` runs again after every `migrate`, so a role gets
the permissions of an app that arrives later (the check-in app: add its codenames here). It only adds: a
permission a practice admin removed by hand stays removed until the next change of this list.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

CLINICIAN = "Clinician"
FRONT_DESK = "Front desk"
PRACTICE_ADMIN = "Practice admin"
ROLES = (CLINICIAN, FRONT_DESK, PRACTICE_ADMIN)

VIEW_CLINICAL = "clinician.view_clinical_data"
ACKNOWLEDGE_FLAG = "clinician.acknowledge_flag"
REVIEW_INTAKE = "clinician.review_intake"
EXPORT_OUTCOMES = "clinician.export_outcomes"
VIEW_AUDIT = "clinician.view_auditevent"

# "app_label.codename"; the codename may be a glob.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    CLINICIAN: (
        VIEW_CLINICAL,
        ACKNOWLEDGE_FLAG,
        REVIEW_INTAKE,
        "intake.view_patient",
        "intake.view_invitation",
        "intake.view_intake",
        "intake.view_flag",
        "intake.view_contentpack",
        "clinician.view_patientassignment",
        "checkins.view_*",
    ),
    FRONT_DESK: (
        "intake.view_patient",
        "intake.add_patient",
        "intake.change_patient",
        "intake.view_invitation",
        "intake.add_invitation",
        "intake.change_invitation",
        "intake.view_intake",  # when it was submitted and check-in consent only; no clinical field (admin.py)
        "clinician.view_patientassignment",
        "clinician.add_patientassignment",
        "clinician.change_patientassignment",
        "clinician.delete_patientassignment",
        # Check-in schedules go here (e.g. "checkins.view_checkin", "checkins.change_checkin"): never the
        # check-in responses' answers or summaries.
    ),
    PRACTICE_ADMIN: ("intake.*", "clinician.*", "checkins.*", "auth.*", "admin.view_logentry",
                     # issue #7: remove a lost authenticator device; see and clear log-in lockouts
                     "otp_totp.view_totpdevice", "otp_totp.delete_totpdevice", "axes.view_*", "axes.delete_*"),
}


def _matches(app_label: str, codename: str, pattern: str) -> bool:
    app, _, code = pattern.partition(".")
    return app == app_label and fnmatchcase(codename, code)


def roles_sync(apps=None, using: str = "default") -> None:
    """Create the role groups and add the permissions of ROLE_PERMISSIONS that exist (others are skipped)."""
    if apps is None:
        from django.apps import apps
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    existing = list(permission_model.objects.using(using).values_list("pk", "content_type__app_label", "codename"))
    for role, patterns in ROLE_PERMISSIONS.items():
        group, _created = group_model.objects.using(using).get_or_create(name=role)
        wanted = [pk for pk, app, code in existing if any(_matches(app, code, p) for p in patterns)]
        group.permissions.add(*wanted)


def roles_sync_after_migrate(sender, using="default", apps=None, **kwargs) -> None:
    if apps is None:
        # `flush` (and transactional test teardown) sends post_migrate without `apps`: use the live registry, or
        # the role groups would vanish until the next migrate.
        from django.apps import apps as global_apps

        apps = global_apps
    if not apps.is_installed("django.contrib.auth"):
        return
    labels = {p.partition(".")[0] for patterns in ROLE_PERMISSIONS.values() for p in patterns}
    if sender.label in labels:
        roles_sync(apps, using)
