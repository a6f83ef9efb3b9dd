"""With 10,000 intakes in the database the worklist and the summary issue the same few queries as with a handful
(their counts are pinned in test_worklist.py and test_summary.py). bench/dashboard.py measures their time."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from intake.clinician.demo import bulk_seed
from intake.clinician.roles import CLINICIAN
from intake.clinician.selectors.worklist import SOURCES
from intake.models import Intake

from .factories import make_user

N = 10_000


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """10,000 intakes for this module only: written once in a transaction that is rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        bulk_seed(N, seed=4)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def signed_in(seeded, db, client):
    client.force_login(make_user(CLINICIAN))
    client.get(reverse("clinician:worklist"))  # the session and permission caches of this client
    return client


def test_it_lists_the_worklist_of_10000_intakes_in_a_fixed_number_of_queries(signed_in,
                                                                            django_assert_max_num_queries):
    assert Intake.objects.count() >= N
    # 7 fixed (session, user, permissions, clinician choices, keys, audit) + a count and the rows of each source
    # (the session's idle-expiry save happens at most once a minute: SessionTouchMiddleware)
    most = 7 + 3 * len(SOURCES)
    for query in ({}, {"status": "all", "page": "200"}, {"q": "Rossi"}, {"flag": "LBP-CES-1"}):
        with django_assert_max_num_queries(most):
            response = signed_in.get(reverse("clinician:worklist"), query)
        assert response.status_code == 200 and response.context["rows"]


def test_it_shows_a_summary_among_10000_intakes_in_a_fixed_number_of_queries(signed_in,
                                                                            django_assert_max_num_queries):
    intake = Intake.objects.filter(overall_tier="ED_NOW").order_by("pk").first()
    with django_assert_max_num_queries(7):  # no idle-expiry save within a minute of the last (SessionTouchMiddleware)
        response = signed_in.get(reverse("clinician:intake_summary", args=[intake.pk]))
    assert response.status_code == 200
