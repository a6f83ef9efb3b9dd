"""clinician:worklist — order, filters, search, pagination, empty state, htmx refresh, audit, query count."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from intake.clinician import services
from intake.clinician.models import AuditEvent, PatientAssignment
from intake.clinician.selectors import worklist as wl

from .factories import make_failed_intake, make_intake, make_patient, make_user

URL = reverse("clinician:worklist")


def ago(days: float):
    return timezone.now() - timedelta(days=days)


def order_of(response) -> list[int]:
    return [row.pk for row in response.context["rows"]]


def test_it_puts_failed_summaries_first_then_tiers_then_unacknowledged_then_oldest(clinician_client, clinician):
    none_old = make_intake("NONE", submitted_at=ago(9))
    routine = make_intake("ROUTINE", submitted_at=ago(8))
    urgent = make_intake("URGENT_REFERRAL", submitted_at=ago(7))
    same_day = make_intake("SAME_DAY", submitted_at=ago(6))
    ed_new = make_intake("ED_NOW", submitted_at=ago(1))
    ed_old = make_intake("ED_NOW", submitted_at=ago(5))
    ed_acknowledged = make_intake("ED_NOW", submitted_at=ago(10))
    for flag in ed_acknowledged.flags.all():
        services.flag_acknowledge(flag=flag, user=clinician, note="done")
    failed = make_failed_intake(submitted_at=ago(0.5))
    response = clinician_client.get(URL)
    assert order_of(response) == [failed.pk, ed_old.pk, ed_new.pk, ed_acknowledged.pk, same_day.pk, urgent.pk,
                                  routine.pk, none_old.pk]


def test_it_labels_a_failed_summary_for_manual_review_never_as_no_flags(clinician_client):
    failed = make_failed_intake()
    response = clinician_client.get(URL)
    row = response.content.decode().split(f'id="worklist-row-intake-{failed.pk}"')[1].split("</tr>")[0]
    assert "Summary failed — review manually" in row
    assert "No flags" not in row


def test_it_leaves_out_reviewed_intakes_by_default(clinician_client, clinician):
    reviewed = make_intake("NONE")
    services.intake_mark_reviewed(intake=reviewed, user=clinician)
    waiting = make_intake("NONE")
    assert order_of(clinician_client.get(URL)) == [waiting.pk]
    assert order_of(clinician_client.get(URL, {"status": "reviewed"})) == [reviewed.pk]
    assert set(order_of(clinician_client.get(URL, {"status": "all"}))) == {reviewed.pk, waiting.pk}


def test_it_filters_by_tier(clinician_client):
    make_intake("NONE")
    urgent = make_intake("URGENT_REFERRAL")
    assert order_of(clinician_client.get(URL, {"tier": "URGENT_REFERRAL"})) == [urgent.pk]


def test_it_filters_failed_summaries_as_a_tier(clinician_client):
    make_intake("ED_NOW")
    failed = make_failed_intake()
    assert order_of(clinician_client.get(URL, {"tier": "failed"})) == [failed.pk]


def test_it_filters_by_flag_id(clinician_client):
    thunder = make_intake("ED_NOW")
    make_intake("ROUTINE")
    assert order_of(clinician_client.get(URL, {"flag": "HA-THUNDER"})) == [thunder.pk]


def test_it_filters_by_the_patients_clinician(clinician_client, clinician):
    mine = make_intake("NONE")
    PatientAssignment.objects.create(patient=mine.patient, clinician=clinician)
    other = make_intake("NONE")
    assert order_of(clinician_client.get(URL, {"clinician": "me"})) == [mine.pk]
    assert order_of(clinician_client.get(URL, {"clinician": str(clinician.pk)})) == [mine.pk]
    assert order_of(clinician_client.get(URL, {"clinician": "none"})) == [other.pk]


def test_it_filters_by_submission_date(clinician_client):
    make_intake("NONE", submitted_at=ago(30))
    recent = make_intake("NONE", submitted_at=ago(2))
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    assert order_of(clinician_client.get(URL, {"date_from": since})) == [recent.pk]


def test_it_reports_an_end_date_before_the_start_date(clinician_client):
    response = clinician_client.get(URL, {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


def test_it_searches_by_name(clinician_client):
    make_intake("NONE", patient=make_patient(first_name="Ada", last_name="Lovelace"))
    grace = make_intake("NONE", patient=make_patient(first_name="Grace", last_name="Hopper"))
    assert order_of(clinician_client.get(URL, {"q": "hopp"})) == [grace.pk]
    assert order_of(clinician_client.get(URL, {"q": "Grace Hopper"})) == [grace.pk]


def test_it_searches_by_date_of_birth(clinician_client):
    make_intake("NONE", patient=make_patient(date_of_birth="1970-05-06"))
    born = make_intake("NONE", patient=make_patient(date_of_birth="1985-03-04"))
    assert order_of(clinician_client.get(URL, {"q": "1985-03-04"})) == [born.pk]
    assert order_of(clinician_client.get(URL, {"q": "04/03/1985"})) == [born.pk]


def test_it_paginates(clinician_client, settings):
    settings.WORKLIST_PAGE_SIZE = 2
    intakes = [make_intake("NONE", submitted_at=ago(10 - i)) for i in range(5)]
    response = clinician_client.get(URL, {"page": 3})
    assert order_of(response) == [intakes[4].pk]
    assert "Page 3 of 3" in response.content.decode()


def test_it_shows_an_empty_state(clinician_client):
    response = clinician_client.get(URL)
    assert 'id="worklist-empty"' in response.content.decode()
    assert "No intakes are awaiting review" in response.content.decode()


def test_it_offers_to_clear_filters_when_nothing_matches(clinician_client):
    make_intake("NONE")
    response = clinician_client.get(URL, {"q": "nobody-by-this-name"})
    assert "Nothing matches these filters." in response.content.decode()


def test_it_returns_only_the_results_for_an_htmx_refresh(clinician_client):
    make_intake("ED_NOW")
    response = clinician_client.get(URL, headers={"HX-Request": "true", "HX-Target": "worklist-results"})
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="worklist-results"')
    assert "<html" not in body


def test_it_polls_for_new_emergencies_without_inline_script(clinician_client):
    body = clinician_client.get(URL).content.decode()
    assert 'hx-trigger="every 15s"' in body
    assert "vendor/htmx/htmx.min.js" in body
    assert "<script>" not in body and "onclick" not in body


def test_it_records_the_worklist_view_in_the_audit_trail(clinician_client, clinician):
    intake = make_intake("NONE")
    clinician_client.get(URL, {"tier": "NONE"})
    event = AuditEvent.objects.get(object_type="worklist")
    assert (event.user, event.action, event.ip_address) == (clinician, "view", "127.0.0.1")
    assert event.detail["filters"] == {"tier": "NONE"}
    assert event.detail["items"] == [f"intake:{intake.pk}"]


def test_it_issues_as_many_queries_for_many_intakes_as_for_few(clinician_client, django_assert_num_queries):
    make_intake("ED_NOW")
    clinician_client.get(URL)  # warm the session and permission caches of this client
    # session, user, permissions (one query: intake.clinician.backends), clinician choices, one count (of every
    # source), the keys, the intakes, their flags, the audit event (the session's idle-expiry save is at most once a
    # minute: SessionTouchMiddleware)
    with django_assert_num_queries(9) as few:
        clinician_client.get(URL)
    for tier in ("NONE", "ROUTINE", "URGENT_REFERRAL", "SAME_DAY", "ED_NOW") * 4:
        make_intake(tier)
    make_failed_intake()
    with django_assert_num_queries(len(few.captured_queries)):
        clinician_client.get(URL)


class FakeCheckInSource(wl.IntakeSource):
    """Stands in for the check-in app's source: another kind of item in the same ordered list."""

    kind = "checkin"
    kind_label = "Check-in"

    def keys(self, filters):
        return super().keys(filters).filter(patient__last_name="CheckIn")


def test_it_merges_a_second_item_source_into_one_ordered_list(clinician_client, monkeypatch):
    monkeypatch.setattr(wl, "SOURCES", [wl.IntakeSource(), FakeCheckInSource()])
    urgent = make_intake("URGENT_REFERRAL", submitted_at=ago(3))
    checkin_like = make_intake("ED_NOW", patient=make_patient(last_name="CheckIn"), submitted_at=ago(1))
    rows = clinician_client.get(URL).context["rows"]
    kinds = [(r.kind, r.pk) for r in rows]
    assert kinds[0] == ("checkin", checkin_like.pk)
    assert ("intake", urgent.pk) in kinds


@pytest.mark.parametrize("q, expected", [("1985-03-04", "dob"), ("04/03/1985", "dob"), ("Ada Lovelace", "words")])
def test_it_reads_a_search_as_a_date_of_birth_or_name_words(q, expected):
    dob, words = wl.parse_search(q)
    assert (dob is not None) == (expected == "dob")
    assert bool(words) == (expected == "words")


def test_it_offers_only_active_clinicians_as_a_filter(db, clinician):
    from intake.clinician.roles import CLINICIAN

    make_user(CLINICIAN, is_active=False)
    assert [pk for pk, _name in wl.clinician_choices()] == [str(clinician.pk)]


def test_its_search_box_is_a_search_input_with_one_type(clinician_client):
    html = clinician_client.get(URL, {"q": '"><b>x', "date_from": "2026-01-02"}).content.decode()
    search = re.search(r'<input[^>]* name="q"[^>]*>', html).group(0)
    assert search.startswith('<input type="search" name="q" value="&quot;&gt;&lt;b&gt;x"')
    for element in re.findall(r"<input[^>]*>", html):
        assert element.count(" type=") == 1, element
    assert '<input type="date" name="date_from" value="2026-01-02"' in html


def test_postgresql_reads_a_worklist_page_in_order_from_its_indexes(db):
    """Issue #7: the ORDER BY of the worklist's UNION is served by the indexes intake_worklist_order and
    checkin_response_order, merged (a page of 10,000 intakes read 5,000 index entries instead of sorting all of them:
    17 -> 2 ms). A change to the order or to the stored columns that loses this would fail no other test, only make
    every page slower."""
    from django.db import connection

    for tier in ("NONE", "ROUTINE", "ED_NOW"):
        make_intake(tier)
    sql, params = wl.worklist_keys(wl.WorklistFilters(status="all"))[0:25].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows: make the planner show what it can do
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using intake_worklist_order" in plan, plan
    assert "using checkin_response_order" in plan, plan
    # Each index gives its part in the whole order (tier, unacknowledged first, oldest first); only ties of the
    # same instant between an intake and a check-in are sorted by kind and id.
    assert "Presorted Key: intake_intake.tier_rank, intake_intake.unacknowledged, intake_intake.submitted_at" in plan \
        or "Sort" not in plan, plan
