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

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Case, CharField, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone

from intake.models import TIER_RANK, Flag, Intake

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
        # IN (not a correlated EXISTS): PostgreSQL hashes the few unacknowledged flags once (partial index of
        # migration 0003) instead of probing the flags of every intake awaiting review.
        pending = Flag.objects.filter(acknowledged_at__isnull=True).values("intake_id")
        qs = Intake.objects.annotate(
            kind=Value(self.kind, output_field=CharField()),
            item_id=F("pk"),
            # A failed summary has no flags but must be looked at: it counts as unacknowledged.
            unacknowledged=Case(
                When(triage_status=Intake.TriageStatus.FAILED, then=Value(True)),
                When(pk__in=pending, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
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

    def rows(self, ids: Iterable[int]) -> dict[int, WorklistRow]:
        intakes = (
            Intake.objects.filter(pk__in=list(ids))
            .select_related("patient", "patient__assignment__clinician", "review")
            .defer("answers", "summary", "triage_error")
            .prefetch_related("flags")
        )
        rows = {}
        for intake in intakes:
            patient = intake.patient
            flags = list(intake.flags.all())
            assignment = getattr(patient, "assignment", None)
            rows[intake.pk] = WorklistRow(
                kind=self.kind,
                kind_label=self.kind_label,
                pk=intake.pk,
                url=reverse("clinician:intake_summary", args=[intake.pk]),
                patient_id=patient.pk,
                patient_name=f"{patient.last_name}, {patient.first_name}".strip(", ") or str(patient),
                date_of_birth=patient.date_of_birth,
                clinician_name=_user_name(assignment.clinician) if assignment else "",
                tier=intake.overall_tier,
                tier_rank=intake.tier_rank,
                triage_failed=intake.triage_failed,
                unacknowledged=intake.triage_failed or any(f.acknowledged_at is None for f in flags),
                reviewed=hasattr(intake, "review"),
                submitted_at=intake.submitted_at,
                flag_ids=[f.flag_id for f in flags],
                unacknowledged_flag_ids=[f.flag_id for f in flags if f.acknowledged_at is None],
            )
        return rows


def _user_name(user) -> str:
    return user.get_full_name() or user.get_username()


SOURCES: list = [IntakeSource()]


def register_source(source) -> None:
    """Add a worklist source (once per kind)."""
    if all(s.kind != source.kind for s in SOURCES):
        SOURCES.append(source)


def worklist_keys(filters: WorklistFilters) -> QuerySet:
    parts = [source.keys(filters) for source in SOURCES]
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return combined.order_by(*ORDER)


class _Keys:
    """The ordered keys for the paginator. Counted per source, where Django leaves out the ordering columns (a
    count of the union would compute them for every row)."""

    ordered = True

    def __init__(self, filters: WorklistFilters):
        self.filters = filters

    def count(self) -> int:
        return sum(source.keys(self.filters).count() for source in SOURCES)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        return worklist_keys(self.filters)[index]


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


def clinician_choices() -> list[tuple[str, str]]:
    users = get_user_model().objects.filter(groups__name=CLINICIAN, is_active=True).order_by("last_name", "username")
    return [(str(u.pk), _user_name(u)) for u in users]
