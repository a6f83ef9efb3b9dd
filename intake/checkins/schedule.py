"""When a check-in is due, in the patient's time zone (reference.md §6.2 windows; issue #6 quiet hours).

Windows are whole local days counted from the local date of the intake: the window of the 2-week check-in (days
12–18) opens at 00:00 on day 12 and closes at 24:00 on day 18. The invitation is due on the window's first day at
the clinic's send hour; nothing is e-mailed to a patient during the quiet hours (21:00–08:00 local), so a time
that falls inside them moves to the next 08:00.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from intake.triage.checkin_schema import TIME_POINTS

from . import conf

UTC = ZoneInfo("UTC")


def patient_zone(name: str | None) -> ZoneInfo:
    """The patient's zone; an unknown name falls back to UTC rather than failing an intake."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def local_datetime(day: date, hour: int, zone: ZoneInfo) -> datetime:
    """`hour`:00 local on `day`, as an aware UTC datetime (a time skipped by a DST change moves forward)."""
    naive = datetime.combine(day, time(hour))
    aware = naive.replace(tzinfo=zone)
    # zoneinfo accepts non-existent local times; a round trip through UTC normalises them.
    return aware.astimezone(UTC)


def in_quiet_hours(moment: datetime, zone: ZoneInfo) -> bool:
    start, end = conf.quiet_hours()
    hour = moment.astimezone(zone).hour
    return hour >= start or hour < end


def next_allowed(moment: datetime, zone: ZoneInfo) -> datetime:
    """`moment` if it is outside the quiet hours, else the end of the quiet hours (08:00 local)."""
    start, end = conf.quiet_hours()
    local = moment.astimezone(zone)
    if local.hour >= start:
        return local_datetime(local.date() + timedelta(days=1), end, zone)
    if local.hour < end:
        return local_datetime(local.date(), end, zone)
    return moment


@dataclass(frozen=True)
class Times:
    target_at: datetime
    window_opens_at: datetime
    window_closes_at: datetime
    expires_at: datetime
    due_at: datetime


def checkin_times(
    *, submitted_at: datetime, zone: ZoneInfo, time_point: str, send_hour: int, late_answer_days: int
) -> Times:
    tp = TIME_POINTS[time_point]
    base = submitted_at.astimezone(zone).date()
    opens = local_datetime(base + timedelta(days=tp["from_day"]), 0, zone)
    closes = local_datetime(base + timedelta(days=tp["to_day"] + 1), 0, zone)
    due = next_allowed(local_datetime(base + timedelta(days=tp["from_day"]), send_hour, zone), zone)
    return Times(
        target_at=local_datetime(base + timedelta(days=tp["target_day"]), send_hour, zone),
        window_opens_at=opens,
        window_closes_at=closes,
        expires_at=closes + timedelta(days=late_answer_days),
        due_at=due,
    )


def local_date(moment: datetime, zone_name: str) -> date:
    return moment.astimezone(patient_zone(zone_name)).date()
