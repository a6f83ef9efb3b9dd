"""Issue #5, browser acceptance: the clinician dashboard in Debian's Chromium on a 1280×900 desktop.

1. A clinician signs in through the log-in page, finds the ED_NOW intake at the top of the worklist (it is not the
   newest intake), opens it, acknowledges its flag with a note, and the intake leaves the unacknowledged queue; the
   audit trail holds the view and the acknowledgement (as rows, and on the practice admin's audit page).
2. axe-core finds no serious or critical violation on the log-in page, the worklist, three summaries (with flags,
   headache phenotypes suppressed, summary failed), the explain page and the trends page.
3. With SCREENSHOTS=1 the same walk saves the worklist, a summary with flags and a trends page under
   docs/screenshots/clinician/ (README "Screenshots"):

    SCREENSHOTS=1 DATABASE_URL=... .venv/bin/python -m pytest tests/browser/test_clinician.py

Data is made through the services (intake_submit and the real engine, via tests/clinician/factories; check-in
answers through the check-in app's response_submit). The browser fixture is tests/browser/conftest.py's.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from intake import demo
from intake.clinician import services as staff_services
from intake.clinician.models import AuditEvent
from intake.clinician.roles import CLINICIAN, PRACTICE_ADMIN, roles_sync
from intake.clinician.selectors import trends as trend_selectors
from intake.models import Flag, Intake
from tests.browser.conftest import ROOT, SCREENSHOT_MAX_BYTES, SCREENSHOTS, assert_accessible
from tests.clinician.factories import make_failed_intake, make_intake, make_patient

pytestmark = pytest.mark.browser

DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "en-GB", "reduced_motion": "reduce"}
SCREENSHOT_DIR = ROOT / "docs" / "screenshots" / "clinician"
PASSWORD = "correct horse battery staple 5"  # noqa: S105 - a test account's
NOTE = "Phoned the patient at 14:05; advised the emergency department now, they are on their way."

# The worked examples of intake/demo.py by name: (first name, last name, answers). Fictional people.
PEOPLE = {first: (first, last, answers) for first, last, answers in demo.PEOPLE}
CES = "Noah"  # ED_NOW with one flag, LBP-CES-1 (no headache)
THUNDERCLAP = "Tom"  # ED_NOW: HA-THUNDER, HA-NEW-PATTERN, HA-VALSALVA; headache phenotypes suppressed
SAME_DAY = "Emma"  # SAME_DAY: MH-SI, CAD-RISK; headache phenotypes evaluated
URGENT = "Grace"  # URGENT_REFERRAL: an unclear red-flag answer
ROUTINE = "Luca"  # ROUTINE: LBP-AXSPA
NONE = "Sam"  # NONE: acute low back pain after lifting (V1)


# ---------------------------------------------------------------- fixtures and helpers
@pytest.fixture
def desktop(browser, live_server, transactional_db, settings):
    """New desktop browser contexts (no cookies), each pointed at the live server; closed after the test."""
    # Signing in three times with the production hasher costs seconds; the hash is not what is tested here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The role groups come from a data migration. The flush that ends each transactional test empties them, and
    # its post_migrate signal carries no `apps`, on which roles_sync_after_migrate does nothing: make them again.
    roles_sync()
    contexts = []

    def make() -> Page:
        context = browser.new_context(**DESKTOP, base_url=live_server.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def staff(username: str, role: str, **names):
    return staff_services.staff_user_create(username=username, role=role, password=PASSWORD, **names)


def intake_of(name: str, *, hours_ago: float, tier: str | None = None) -> Intake:
    """The worked example of this demo person, submitted `hours_ago` hours ago by a patient of that name."""
    first, last, answers = PEOPLE[name]
    intake = make_intake(
        patient=make_patient(first_name=first, last_name=last),
        answers=answers,
        submitted_at=timezone.now() - timedelta(hours=hours_ago),
    )
    if tier is not None:
        assert intake.overall_tier == tier, (name, intake.overall_tier)
    return intake


def sign_in(page: Page, username: str, start: str = "/clinic/worklist/") -> None:
    """Open a staff page without a session: the log-in page comes first; sign in there and land on `start`."""
    response = page.goto(start)
    assert response is not None and response.status == 200
    assert re.search(r"/clinic/login/\?next=", page.url), page.url
    expect(page.locator("h1")).to_have_text("Staff sign-in")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("#login-submit").click()
    assert page.url.endswith(start), page.url


def open_ok(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, (path, response and response.status)


def worklist_order(page: Page) -> list[str]:
    return page.locator("#worklist-table tbody tr").evaluate_all("rows => rows.map(r => r.id)")


def screenshot(page: Page, name: str) -> None:
    """With SCREENSHOTS=1: the whole page as a PNG under docs/screenshots/clinician/, reduced to a small palette
    (as tests/browser/conftest.py does for the patient pages) so that each file stays under 200 KB."""
    if not SCREENSHOTS:
        return
    from PIL import Image

    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.evaluate("() => { const e = document.activeElement; if (e && e.matches('input, button, a')) e.blur(); }")
    page.screenshot(path=str(path), full_page=True, animations="disabled", caret="hide")
    with Image.open(path) as image:
        rgb = image.convert("RGB")
    for colours in (64, 32, 16):
        small = rgb.quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        small.save(path, optimize=True)
        if path.stat().st_size < SCREENSHOT_MAX_BYTES:
            return
    raise AssertionError(f"{path.name} is {path.stat().st_size} bytes, more than {SCREENSHOT_MAX_BYTES}")


def check(page: Page, screen: str, shot: str | None = None) -> None:
    assert_accessible(page, screen)
    if shot:
        screenshot(page, shot)


# ---------------------------------------------------------------- check-ins (intake/checkins)
def checkin_trend_source_registered() -> bool:
    return any(source.kind == "checkin" for source in trend_selectors.TREND_SOURCES)


def answer_checkins(intake: Intake, nprs_back: dict[str, int]) -> int:
    """The patient answers the check-ins of `intake` at their target days (reference §6.2), with these back-pain
    scores, through the check-in app's services; the intake is backdated first so that the days have passed.
    Returns how many responses were stored."""
    from intake.checkins import services as checkin_services
    from intake.checkins.models import CheckIn, CheckInPlan
    from intake.triage.checkin_schema import TIME_POINTS
    from tests.engine.checkin_builders import answers as checkin_answers

    # The plan was made when the intake was submitted (now); make it again for the backdated intake.
    CheckInPlan.objects.filter(intake=intake).delete()
    intake.refresh_from_db()
    assert checkin_services.checkins_schedule(intake=intake)
    for time_point, score in nprs_back.items():
        checkin = CheckIn.objects.select_related("plan__intake").get(plan__intake=intake, time_point=time_point)
        answered_at = intake.submitted_at + timedelta(days=TIME_POINTS[time_point]["target_day"], hours=2)
        extra = {}
        if TIME_POINTS[time_point]["weeks"] >= 6:  # §6.2: the RMDQ again from 6 weeks (as many "yes" as the score)
            extra["instruments"] = {"phq4": [0, 0, 0, 0], "rmdq": [True] * score + [False] * (24 - score)}
        answers = checkin_answers(intake.answers, time_point, nprs_back=score, pgic=2, **extra)
        response = checkin_services.response_submit(checkin=checkin, answers=answers, now=answered_at)
        assert response.triage_status == "ok", response.triage_error
    return len(nprs_back)


# ---------------------------------------------------------------- 1. the ED_NOW flow and its audit trail
def test_a_clinician_acknowledges_the_emergency_at_the_top_and_the_audit_trail_shows_it(desktop):
    staff("casey", CLINICIAN, first_name="Casey", last_name="Clinician")
    staff("pat", PRACTICE_ADMIN, first_name="Pat", last_name="Admin")
    # Several tiers, submitted over the last day; the ED_NOW intake to act on is neither the newest nor the oldest,
    # and a second, newer ED_NOW intake is still waiting when the first is acknowledged.
    intake_of(NONE, hours_ago=30, tier="NONE")
    intake_of(ROUTINE, hours_ago=26, tier="ROUTINE")
    ces = intake_of(CES, hours_ago=20, tier="ED_NOW")
    intake_of(URGENT, hours_ago=12, tier="URGENT_REFERRAL")
    intake_of(SAME_DAY, hours_ago=5, tier="SAME_DAY")
    thunder = intake_of(THUNDERCLAP, hours_ago=1, tier="ED_NOW")
    flag = ces.flags.get()
    assert flag.flag_id == "LBP-CES-1"
    assert Intake.objects.order_by("-submitted_at").first() != ces

    page = desktop()
    sign_in(page, "casey")
    row = f"worklist-row-intake-{ces.pk}"
    order = worklist_order(page)
    assert len(order) == 6 and order[:2] == [row, f"worklist-row-intake-{thunder.pk}"], order
    top = page.locator(f"#{row}")
    expect(top).to_have_class(re.compile(r"\bunacknowledged\b"))
    expect(top.locator(".tier")).to_have_text("Emergency: now")
    expect(top.locator(".ack-state")).to_have_text("No: LBP-CES-1")

    with page.expect_navigation():
        page.locator(f"#worklist-link-intake-{ces.pk}").click()
    assert page.url.endswith(f"/clinic/intakes/{ces.pk}/")
    expect(page.locator("#summary-heading")).to_contain_text("Noah Fischer")
    expect(page.locator("#summary-tier")).to_have_text("Emergency: now")
    expect(page.locator("#ack-state-LBP-CES-1")).to_have_text("Not yet acknowledged.")

    page.locator(f"#ack-note-{flag.pk}").fill(NOTE)
    with page.expect_navigation():
        page.locator("#ack-submit-LBP-CES-1").click()
    assert page.url.endswith(f"/clinic/intakes/{ces.pk}/#flag-LBP-CES-1"), page.url
    expect(page.locator("#messages")).to_contain_text("LBP-CES-1 acknowledged.")
    expect(page.locator("#ack-state-LBP-CES-1")).to_contain_text("Acknowledged by casey")
    expect(page.locator("#ack-state-LBP-CES-1")).to_contain_text(NOTE)
    expect(page.locator("#ack-form-LBP-CES-1")).to_have_count(0)
    flag.refresh_from_db()
    assert (flag.acknowledged_by.username, flag.acknowledgement_note) == ("casey", NOTE)

    # Back on the worklist it is no longer unacknowledged: the waiting ED_NOW intake is now first, the
    # acknowledged one after it (still awaiting review, with nothing left to acknowledge).
    with page.expect_navigation():
        page.locator("#back-to-worklist").click()
    order = worklist_order(page)
    assert order[:2] == [f"worklist-row-intake-{thunder.pk}", row], order
    expect(page.locator(f"#{row}")).not_to_have_class(re.compile(r"\bunacknowledged\b"))
    expect(page.locator(f"#{row} .ack-state")).to_have_text("Yes")
    assert not Flag.objects.filter(intake=ces, acknowledged_at__isnull=True).exists()

    # The audit trail: the clinician's view of the intake and the acknowledgement, as rows ...
    views = AuditEvent.objects.filter(username="casey", action="view", object_type="intake.intake",
                                      object_id=str(ces.pk))
    assert views.count() == 2  # before and after acknowledging (the redirect back to the summary)
    ack = AuditEvent.objects.get(action="acknowledge")
    assert (ack.username, ack.object_type, ack.object_id, ack.patient_pk, ack.detail) == (
        "casey", "intake.flag", str(flag.pk), ces.patient_id, {"flag_id": "LBP-CES-1"})
    assert ack.ip_address == "127.0.0.1"
    assert views.earliest("at").at < ack.at
    worklists = AuditEvent.objects.filter(username="casey", object_type="worklist")
    assert worklists.count() == 2 and f"intake:{ces.pk}" in worklists.earliest("at").detail["items"]

    # ... and on the practice admin's audit page, searched by the patient's id.
    admin = desktop()
    sign_in(admin, "pat")
    with admin.expect_navigation():
        admin.locator("#nav-audit").click()
    assert admin.url.endswith("/admin/clinician/auditevent/")
    admin.locator("#searchbar").fill(str(ces.patient_id))
    with admin.expect_navigation():
        admin.locator("#searchbar").press("Enter")
    # Columns: when, who, address, action, record type, record id, record, patient id. Newest first.
    rows = [row.split("\t")[1:] for row in admin.locator("#result_list tbody tr").all_inner_texts()]
    viewed = ["casey", "127.0.0.1", "viewed", "intake.intake", str(ces.pk), str(Intake.objects.get(pk=ces.pk)),
              str(ces.patient_id)]
    acknowledged = ["casey", "127.0.0.1", "acknowledged", "intake.flag", str(flag.pk), str(flag), str(ces.patient_id)]
    assert "Noah Fischer" in viewed[5] and "LBP-CES-1" in acknowledged[5]
    assert rows == [viewed, acknowledged, viewed], rows


# ---------------------------------------------------------------- 2 and 3. axe on every screen, and screenshots
def test_the_dashboard_pages_have_no_serious_accessibility_violations(desktop):
    staff("casey", CLINICIAN, first_name="Casey", last_name="Clinician")
    failed = make_failed_intake(patient=make_patient(first_name="Ivan", last_name="Petrov"),
                                submitted_at=timezone.now() - timedelta(hours=3))
    thunder = intake_of(THUNDERCLAP, hours_ago=2, tier="ED_NOW")
    same_day = intake_of(SAME_DAY, hours_ago=7, tier="SAME_DAY")
    intake_of(URGENT, hours_ago=26, tier="URGENT_REFERRAL")
    intake_of(ROUTINE, hours_ago=50, tier="ROUTINE")
    # The trends page: a baseline intake 13 weeks ago and its 2-, 6- and 12-week check-ins.
    baseline = intake_of(NONE, hours_ago=13 * 7 * 24, tier="NONE")
    answered = answer_checkins(baseline, {"week2": 5, "week6": 3, "week12": 1})

    page = desktop()
    open_ok(page, "/clinic/login/")
    check(page, "log-in page")
    sign_in(page, "casey")

    order = worklist_order(page)
    assert order[:3] == [f"worklist-row-intake-{failed.pk}", f"worklist-row-intake-{thunder.pk}",
                         f"worklist-row-intake-{same_day.pk}"], order
    assert len(order) == 6 + answered  # the check-in answers are waiting for review too
    check(page, "worklist", "01-worklist")

    open_ok(page, f"/clinic/intakes/{thunder.pk}/")
    expect(page.locator("#section-red-flags article.flag-card")).to_have_count(3)
    expect(page.locator("#headache-suppressed")).to_be_visible()
    check(page, "summary with flags, headache phenotypes suppressed (ED_NOW)", "02-summary-flags")

    open_ok(page, f"/clinic/intakes/{same_day.pk}/")
    expect(page.locator("#flag-MH-SI")).to_be_visible()
    expect(page.locator("#headache-suppressed")).to_have_count(0)
    check(page, "summary with flags (SAME_DAY)")

    open_ok(page, f"/clinic/intakes/{failed.pk}/")
    expect(page.locator("#summary-failed")).to_be_visible()
    expect(page.locator("#summary-tier")).to_have_text("Summary failed — review manually")
    check(page, "summary failed")

    open_ok(page, f"/clinic/intakes/{thunder.pk}/explain/")
    expect(page.locator("#explain-HA-THUNDER")).to_be_visible()
    check(page, "explain")

    open_ok(page, f"/clinic/patients/{baseline.patient_id}/trends/")
    expect(page.locator("#trend-nprs_back")).to_be_visible()
    expect(page.locator("#chart-nprs_back")).to_be_visible()
    if checkin_trend_source_registered():
        expect(page.locator("#timepoints li")).to_have_count(1 + answered)
        expect(page.locator("#trends-no-checkins")).to_have_count(0)
    else:  # the check-in app has not registered its trend source yet: the baseline page, as it is
        expect(page.locator("#trends-no-checkins")).to_be_visible()
    check(page, "trends", "03-trends")

    from intake.checkins.models import CheckInResponse

    latest = CheckInResponse.objects.filter(patient_id=baseline.patient_id).order_by("-submitted_at").first()
    open_ok(page, f"/clinic/checkins/{latest.pk}/")
    expect(page.locator("#section-changes")).to_be_visible()
    check(page, "check-in response")
