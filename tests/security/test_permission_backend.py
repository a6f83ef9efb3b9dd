"""intake.clinician.backends.ModelBackend: a user's permissions in one query, the same set as Django's backend
(issue #7), and a change of role applies to the user's next request."""

from __future__ import annotations

import pytest
from django.contrib.auth import backends as django_backends
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from intake.clinician.backends import ModelBackend
from intake.clinician.roles import CLINICIAN, FRONT_DESK, PRACTICE_ADMIN, VIEW_CLINICAL
from tests.clinician.factories import make_user


def perm(name: str) -> Permission:
    app, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app, codename=codename)


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)  # no permission cache on it


def users() -> dict:
    own = make_user(None, username="own")
    own.user_permissions.add(perm("intake.view_patient"), perm(VIEW_CLINICAL))
    both = make_user(CLINICIAN, username="both")
    both.user_permissions.add(perm(VIEW_CLINICAL), perm("intake.delete_patient"))  # one also from the group
    two_groups = make_user(CLINICIAN, username="twogroups")
    two_groups.groups.add(Group.objects.get(name=FRONT_DESK))
    extra = Group.objects.create(name="Extra")
    extra.permissions.add(perm("intake.change_patient"))
    in_extra = make_user(None, username="inextra")
    in_extra.groups.add(extra)
    return {
        "none": make_user(None, username="nobody"),
        "own": own,
        "both": both,
        "two groups": two_groups,
        "custom group": in_extra,
        "front desk": make_user(FRONT_DESK),
        "practice admin": make_user(PRACTICE_ADMIN),
        "inactive clinician": make_user(CLINICIAN, is_active=False),
        "superuser": make_user(None, is_superuser=True),
    }


@pytest.mark.django_db
def test_the_permissions_are_the_set_djangos_backend_gives_for_every_kind_of_user():
    for label, user in users().items():
        djangos = django_backends.ModelBackend().get_all_permissions(fresh(user))
        assert ModelBackend().get_all_permissions(fresh(user)) == djangos, label
    assert ModelBackend().get_all_permissions(fresh(users_named("both"))) >= {VIEW_CLINICAL, "intake.delete_patient"}


def users_named(username: str):
    return get_user_model().objects.get(username=username)


@pytest.mark.django_db
def test_one_query_per_request_for_any_number_of_checks(django_assert_num_queries):
    user = fresh(make_user(CLINICIAN))
    with django_assert_num_queries(1):
        assert user.has_perm(VIEW_CLINICAL)
        assert not user.has_perm("auth.delete_user")
        assert user.has_perms([VIEW_CLINICAL, "clinician.acknowledge_flag"])


@pytest.mark.django_db
def test_a_role_removed_in_the_admin_applies_to_the_next_page(client):
    user = make_user(CLINICIAN)
    client.force_login(user)
    assert client.get(reverse("clinician:worklist")).status_code == 200  # REQUIRE_2FA is off in the test settings
    user.groups.clear()
    assert client.get(reverse("clinician:worklist")).status_code == 403
