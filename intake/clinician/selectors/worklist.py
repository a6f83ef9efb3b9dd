"""The worklist: items awaiting review from every source (intakes now; check-in responses plug in the same way).

Order (issue #5): "summary failed" first (tier_rank 9), then ED_NOW → SAME_DAY → URGENT_REFERRAL → ROUTINE → NONE
(tier_rank 4 → 0, intake.models.TIER_RANK), unacknowledged first, then oldest first.

A source is an object with:

    kind: str                                   a short name ("intake", "checkin")
    keys(filters) -> QuerySet                   .values() with the columns KEY_COLUMNS, filtered by `filters`
    rows(ids) -> dict[int, WorklistRow]         the display rows of one page, a fixed number of queries

The keys of every source are combined with UNION ALL and ordered and paginated in the database, so a page costs the
same few queries however many items exist. Register a source with `register_source` (the check-in app's
AppConfig.ready) and write its keys with `patient_q` and `date_q` so the filters mean the same everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, Value
from django.urls import reverse
from django.utils import timezone

from intake.models import TIER_RANK, Flag, Intake, patient_list_name
from intake.process_cache import ProcessCache

from .. import labels
from ..roles import CLINICIAN

KEY_COLUMNS = ("kind", "item_id", "tier_rank", "unacknowledged", "submitted_at")
ORDER = ("-tier_rank", "-unacknowledged", "submitted_at", "kind", "item_id")
FAILED = "failed"
STATUSES = ("awaiting", "reviewed", "all")
# §0.3: the EMERGENCY tier (ED_NOW, SAME_DAY); a failed summary may hide one, so it alerts too.
EMERGENCY_MIN_RANK = TIER_RANK["SAME_DAY"]


@dataclass(frozen=True)
class WorklistFilters:
    tiers: tuple[str, ...] = ()  # overall tiers, and "failed"
    flag_id: str = ""
    status: str = "awaiting"
    clinician: str = ""  # a user id, "none" (no clinician set) or "" (anyone)
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""  # a name, or a date of birth
    submitted_after: datetime | None = None
    min_rank: int | None = None


@dataclass
class WorklistRow:
    kind: str
    kind_label: str
    pk: int
    url: str
    patient_id: int
    patient_name: str
    date_of_birth: date | None
    clinician_name: str
    tier: str
    tier_rank: int
    triage_failed: bool
    unacknowledged: bool
    reviewed: bool
    submitted_at: datetime
    flag_ids: list[str] = field(default_factory=list)
    unacknowledged_flag_ids: list[str] = field(default_factory=list)

    @property
    def tier_label(self) -> str:
        return labels.tier_label(self.tier, self.triage_failed)

    @property
    def tier_class(self) -> str:
        return labels.TIER_CLASS["" if self.triage_failed else self.tier]


# ---------------------------------------------------------------- shared filter pieces
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y")


def parse_search(q: str) -> tuple[date | None, list[str]]:
    """A date of birth (YYYY-MM-DD or DD/MM/YYYY) or name words."""
    q = (q or "").strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(q, fmt).date(), []
        except ValueError:
            continue
    return None, [w for w in re.split(r"\s+", q) if w][:5]


def patient_q(filters: WorklistFilters, prefix: str = "patient__") -> Q:
    """Search (name words or date of birth) and clinician filters on the item's patient."""
    q = Q()
    dob, words = parse_search(filters.q)
    if dob is not None:
        q &= Q(**{f"{prefix}date_of_birth": dob})
    for word in words:
        q &= Q(**{f"{prefix}first_name__icontains": word}) | Q(**{f"{prefix}last_name__icontains": word})
    if filters.clinician == "none":
        q &= Q(**{f"{prefix}assignment__isnull": True})
    elif filters.clinician.isdigit():
        q &= Q(**{f"{prefix}assignment__clinician_id": int(filters.clinician)})
    return q


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def date_q(filters: WorklistFilters, name: str = "submitted_at") -> Q:
    q = Q()
    if filters.date_from:
        q &= Q(**{f"{name}__gte": _day_start(filters.date_from)})
    if filters.date_to:
        q &= Q(**{f"{name}__lt": _day_start(filters.date_to + timedelta(days=1))})
    if filters.submitted_after:
        q &= Q(**{f"{name}__gt": filters.submitted_after})
    return q


# ---------------------------------------------------------------- the intake source
class IntakeSource:
    kind = "intake"
    kind_label = "Intake"

    def keys(self, filters: WorklistFilters) -> QuerySet:
        # `unacknowledged` is stored on the intake (a failed summary, or a flag awaiting acknowledgement), so the
        # ORDER BY of worklist_keys reads the index intake_worklist_order instead of sorting every intake.
        qs = Intake.objects.annotate(kind=Value(self.kind, output_field=CharField()), item_id=F("pk"))
        qs = qs.filter(patient_q(filters), date_q(filters))
        if filters.status == "awaiting":
            qs = qs.filter(review__isnull=True)
        elif filters.status == "reviewed":
            qs = qs.filter(review__isnull=False)
        if filters.tiers:
            tier_q = Q(overall_tier__in=[t for t in filters.tiers if t != FAILED], triage_status="ok")
            if FAILED in filters.tiers:
                tier_q |= Q(triage_status=Intake.TriageStatus.FAILED)
            qs = qs.filter(tier_q)
        if filters.flag_id:
            qs = qs.filter(Exists(Flag.objects.filter(intake=OuterRef("pk"), flag_id=filters.flag_id)))
        if filters.min_rank is not None:
            qs = qs.filter(tier_rank__gte=filters.min_rank)
        return qs.order_by().values(*KEY_COLUMNS)

    # One row of `rows`: plain values, no model instances (issue #7: building 25 intakes with their patient,
    # assignment, clinician, review and flags as objects was the worklist's costliest step).
    ROW_COLUMNS = (
        "pk", "patient_id", "patient__first_name", "patient__last_name", "patient__email", "patient__date_of_birth",
        "patient__assignment__clinician__first_name", "patient__assignment__clinician__last_name",
        "patient__assignment__clinician__username", "overall_tier", "tier_rank", "triage_status", "review__pk",
        "submitted_at",
    )

    def rows(self, ids: Iterable[int]) -> dict[int, WorklistRow]:
        ids = list(ids)
        flags: dict[int, list[tuple[str, bool]]] = {}
        for intake_id, flag_id, acknowledged_at in (
            Flag.objects.filter(intake_id__in=ids).order_by("intake_id", "id")
            .values_list("intake_id", "flag_id", "acknowledged_at")
        ):
            flags.setdefault(intake_id, []).append((flag_id, acknowledged_at is None))
        url = url_maker("clinician:intake_summary")
        rows = {}
        for (
            pk, patient_id, first_name, last_name, email, date_of_birth, clinician_first, clinician_last,
            clinician_username, tier, tier_rank, triage_status, review_pk, submitted_at,
        ) in Intake.objects.filter(pk__in=ids).order_by().values_list(*self.ROW_COLUMNS):
            failed = triage_status == Intake.TriageStatus.FAILED
            own = flags.get(pk, [])
            rows[pk] = WorklistRow(
                kind=self.kind,
                kind_label=self.kind_label,
                pk=pk,
                url=url(pk),
                patient_id=patient_id,
                patient_name=patient_list_name(first_name, last_name, email, patient_id),
                date_of_birth=date_of_birth,
                clinician_name=user_label(clinician_first, clinician_last, clinician_username)
                if clinician_username is not None else "",
                tier=tier,
                tier_rank=tier_rank,
                triage_failed=failed,
                unacknowledged=failed or any(pending for _id, pending in own),
                reviewed=review_pk is not None,
                submitted_at=submitted_at,
                flag_ids=[flag_id for flag_id, _pending in own],
                unacknowledged_flag_ids=[flag_id for flag_id, pending in own if pending],
            )
        return rows


def url_maker(name: str):
    """`pk -> reverse(name, args=[pk])`, reversing once: a worklist page links 25 items to the same view."""
    marker = "2147483647"
    prefix, found, suffix = reverse(name, args=[marker]).rpartition(marker)
    if not found:  # a URL that does not end with its argument: reverse each time
        return lambda pk: reverse(name, args=[pk])
    return lambda pk: f"{prefix}{pk}{suffix}"


def user_label(first_name: str, last_name: str, username: str) -> str:
    """What `_user_name` shows, from the columns (User.get_full_name(), else the username)."""
    return f"{first_name} {last_name}".strip() or username


def _user_name(user) -> str:
    return user_label(user.first_name, user.last_name, user.get_username())


SOURCES: list = [IntakeSource()]


def register_source(source) -> None:
    """Add a worklist source (once per kind)."""
    if all(s.kind != source.kind for s in SOURCES):
        SOURCES.append(source)


def worklist_keys(filters: WorklistFilters) -> QuerySet:
    parts = [source.keys(filters) for source in SOURCES]
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return combined.order_by(*ORDER)


# The SQL of a filter's count and page is the same for every request with that filter; compiling it through the
# ORM cost more CPU than PostgreSQL spent running it (issue #7). Kept per process, per filter, time zone (the dates'
# bounds) and registered sources; a filter with a moving bound (the poll's `submitted_after`) is not kept.
@lru_cache(maxsize=256)
def _compiled(filters: WorklistFilters, _zone: str, _sources: tuple) -> tuple[tuple[str, tuple], tuple[str, tuple]]:
    counts = [source.keys(filters).order_by().query.sql_with_params() for source in SOURCES]
    count = (
        # The ORM compiled each part; its values are parameters.
        "SELECT " + " + ".join(f"(SELECT COUNT(*) FROM ({sql}) AS part)" for sql, _params in counts),  # noqa: S608
        tuple(param for _sql, params in counts for param in params),
    )
    return count, worklist_keys(filters).query.sql_with_params()


def _sql(filters: WorklistFilters):
    args = (filters, timezone.get_current_timezone_name(), tuple(SOURCES))  # the source objects: identity
    return _compiled(*args) if filters.submitted_after is None else _compiled.__wrapped__(*args)


class _Keys:
    """The ordered keys for the paginator: `{"kind", "item_id", ...}` per item (only those two are read). Counted per
    source, where the ordering columns are left out (a count of the union would compute them for every row)."""

    ordered = True

    def __init__(self, filters: WorklistFilters):
        self.filters = filters

    def count(self) -> int:
        (sql, params), _keys = _sql(self.filters)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict]:
        if not isinstance(index, slice) or index.step not in (None, 1) or (index.start or 0) < 0:
            raise TypeError("the worklist's keys are read a page (a slice) at a time")
        _count, (sql, params) = _sql(self.filters)
        start = index.start or 0
        limit = "" if index.stop is None else " LIMIT %s"
        with connection.cursor() as cursor:
            cursor.execute(f"{sql}{limit} OFFSET %s",
                           (*params, *(() if index.stop is None else (max(0, index.stop - start),)), start))
            return [dict(zip(KEY_COLUMNS, row, strict=True)) for row in cursor.fetchall()]


def worklist_page(filters: WorklistFilters, page: int | str = 1, per_page: int = 25) -> tuple[Page, list[WorklistRow]]:
    """One page of the worklist, in order: a count per source, one query for the page's keys, then the rows of each
    source on the page."""
    paginator = Paginator(_Keys(filters), per_page)
    page_obj = paginator.get_page(page)
    keys = list(page_obj.object_list)
    by_kind: dict[str, list[int]] = {}
    for key in keys:
        by_kind.setdefault(key["kind"], []).append(key["item_id"])
    loaded = {source.kind: source.rows(by_kind[source.kind]) for source in SOURCES if source.kind in by_kind}
    rows = [loaded[k["kind"]][k["item_id"]] for k in keys if k["item_id"] in loaded.get(k["kind"], {})]
    return page_obj, rows


def worklist_new_emergencies(since: datetime) -> int:
    """How many EMERGENCY-tier (or failed) items arrived after `since`, whatever their review state."""
    filters = WorklistFilters(status="all", submitted_after=since, min_rank=EMERGENCY_MIN_RANK)
    return sum(source.keys(filters).count() for source in SOURCES)


def _clinician_choices() -> list[tuple[str, str]]:
    users = get_user_model().objects.filter(groups__name=CLINICIAN, is_active=True).order_by("last_name", "username")
    return [(str(u.pk), _user_name(u)) for u in users]


# The worklist's "Clinician" filter: kept per process for CLINIC_SETTINGS_CACHE_SECONDS (a new clinician shows in
# the other workers' filter within 30 s in production), dropped at once when a user or a group membership changes.
_CLINICIANS = ProcessCache(_clinician_choices, get_user_model(), Group, m2m=(get_user_model().groups.through,))


def clinician_choices() -> list[tuple[str, str]]:
    return list(_CLINICIANS.get())
