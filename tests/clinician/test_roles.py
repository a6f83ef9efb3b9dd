"""The role groups and their permissions (roles.py, migration 0002_roles)."""

from __future__ import annotations

from django.contrib.auth.models import Group

from intake.clinician.roles import CLINICIAN, FRONT_DESK, PRACTICE_ADMIN, roles_sync

from .factories import make_user


def perms_of(role: str) -> set[str]:
    group = Group.objects.get(name=role)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_it_creates_the_three_roles(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {CLINICIAN, FRONT_DESK, PRACTICE_ADMIN}


def test_it_gives_the_front_desk_no_clinical_permission(db):
    perms = perms_of(FRONT_DESK)
    assert {"intake.add_patient", "intake.add_invitation"} <= perms
    assert not {"clinician.view_clinical_data", "intake.view_flag", "clinician.view_auditevent"} & perms


def test_it_gives_clinicians_clinical_data_but_not_the_audit_trail(db):
    perms = perms_of(CLINICIAN)
    assert {"clinician.view_clinical_data", "clinician.acknowledge_flag", "intake.view_flag"} <= perms
    assert "clinician.view_auditevent" not in perms and "auth.change_user" not in perms


def test_it_gives_practice_admins_everything_plus_the_audit_trail(db):
    perms = perms_of(PRACTICE_ADMIN)
    assert {"clinician.view_auditevent", "clinician.export_outcomes", "clinician.view_clinical_data",
            "auth.change_user", "intake.change_contentpack"} <= perms
    assert not any(p.startswith(("clinician.add_auditevent", "clinician.change_auditevent",
                                 "clinician.delete_auditevent")) for p in perms)


def test_it_syncs_again_without_duplicates(db):
    before = perms_of(CLINICIAN)
    roles_sync()
    assert perms_of(CLINICIAN) == before


def test_it_lets_a_user_act_through_the_role(db):
    user = make_user(CLINICIAN)
    assert user.has_perm("clinician.view_clinical_data")
