"""Browser tests of the patient wizard (issue #4): Debian's Chromium driven by Playwright, on a phone.

One Chromium serves every browser test; each test gets a new context (no cookies, no storage) with a 390×844 touch
viewport, and pytest-django's live server on a transactional database (the server thread must see the test's rows).

`Patient` answers the wizard the way a person does: it clicks the labels of radios and check boxes, types numbers
and presses Next. What it answers comes from the contract answers of an engine example, mapped to the wizard's
input names by `input_values`, which is written here and not borrowed from the app (`wizard.to_flat`), so that a
mistake in the app's naming is caught rather than copied.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, sync_playwright

from intake import services
from intake import wizard as wz
from intake.content.packs import INPUT_KEY
from tests.web.conftest import CSI_PACK, ISI_PACK, STARTBACK_PACK

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "tests" / "engine" / "examples"
SCREENSHOT_DIR = ROOT / "docs" / "screenshots" / "patient"
SCREENSHOTS = os.environ.get("SCREENSHOTS") == "1"
SCREENSHOT_MAX_BYTES = 200_000

CHROMIUM = "/usr/bin/chromium"  # Debian's; `playwright install` is not used
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
# Reduced motion: Bootstrap's smooth scrolling off, so that a tap lands where the label is (no scroll animation).
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "reduced_motion": "reduce"}

# The questionnaires the wizard can ask without a content pack, in the default order (settings.INTAKE_QUESTIONNAIRES).
SHIPPED = ("nprs_back", "nprs_head", "psfs", "rmdq", "phq9", "gad7", "phq4", "wpi", "sss")

# Made-up wording in the shape of intake/content/packs.py (not the licensed texts), one pack per licensed instrument
# an example uses. STarT Back, CSI and ISI are the packs of tests/web.
ODI_PACK = {
    "title": "Test back disability index",
    "options": [{"value": n, "label": f"Statement {n}"} for n in range(6)],
    "items": [{"text": f"Test section {i}"} for i in range(1, 11)],
}
HIT6_PACK = {
    "title": "Test headache impact",
    "options": [{"value": v, "label": v.replace("_", " ").capitalize()}
                for v in ("never", "rarely", "sometimes", "very_often", "always")],
    "items": [{"text": f"Test impact item {i}"} for i in range(1, 7)],
}
MIDAS_PACK = {
    "title": "Test migraine disability",
    "instructions": "Count the days in the last 3 months.",
    "items": [{"text": f"Test days item {i}"} for i in range(1, 6)],  # day counts: number boxes
    # The optional, unscored items A and B (contract B.13 `midas.a` / `.b`): number boxes too.
    "a": {"text": "Test item A: days with a headache"},
    "b": {"text": "Test item B: how painful, 0 to 10"},
}
ID_MIGRAINE_PACK = {
    "title": "Test migraine screen",
    "options": [{"value": True, "label": "Yes"}, {"value": False, "label": "No"}],
    "items": [{"text": f"Test screen item {i}"} for i in range(1, 4)],
}
PACKS = {"csi": CSI_PACK, "odi": ODI_PACK, "startback": STARTBACK_PACK, "hit6": HIT6_PACK, "midas": MIDAS_PACK,
         "isi": ISI_PACK, "id_migraine": ID_MIGRAINE_PACK}


# ---------------------------------------------------------------- fixtures
@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for all of tests/browser.

    Package scope (torn down after the last browser test) rather than session scope: Playwright's sync API keeps an
    asyncio loop running in the main thread while it is started, and Django refuses ORM calls under a running loop.
    Ending it with the package keeps the tests that run after tests/browser (clinician, engine, web) unaffected;
    running tests/browser alone, it is one browser for the session. DJANGO_ALLOW_ASYNC_UNSAFE is set only while
    the browser lives, for the tests' own database calls (they are synchronous; the loop is Playwright's).
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def phone(browser, live_server, transactional_db):
    """A fresh phone-sized browser context (no cookies) and its page, pointed at the live server."""
    context = browser.new_context(**PHONE, base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def new_phone(browser, live_server):
    """More contexts in the same test (another day, another browser): each starts with no cookies."""
    contexts = []

    def make() -> Page:
        context = browser.new_context(**PHONE, base_url=live_server.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def clinic(settings, transactional_db):
    """Configure the clinic for an example: the shipped questionnaires it answers, and a content pack for every
    licensed questionnaire it answers (loaded like tests/web does, validated by the model)."""

    def configure(answers: dict) -> None:
        instruments = answers.get("instruments") or {}
        # PSFS is optional in full: it is always offered, and left blank it is not sent.
        settings.INTAKE_QUESTIONNAIRES = [k for k in SHIPPED if k in instruments or k == "psfs"]
        for pack, key in INPUT_KEY.items():
            if key in instruments:
                load_pack(pack)

    return configure


def load_pack(instrument: str):
    from intake.models import ContentPack

    pack = ContentPack(instrument=instrument, content=PACKS[instrument], active=True,
                       copyright_notice=f"© Test owner of {instrument}")
    pack.full_clean()
    pack.save()
    return pack


# ---------------------------------------------------------------- examples and the wizard's input names
def example(name: str) -> dict:
    """The input of a public engine example (V1, V4, V7, ...)."""
    for path in EXAMPLES.glob(f"{name}-*.json"):
        return json.loads(path.read_text())["input"]
    raise LookupError(name)


def example_must(name: str) -> dict:
    for path in EXAMPLES.glob(f"{name}-*.json"):
        return json.loads(path.read_text())["must"]
    raise LookupError(name)


def input_values(answers: dict) -> dict:
    """Contract answers → {input name: answer}: the contract path joined with "-" (`ha_types-0-side`,
    `med_days-triptan`, `instruments-phq9-8`, `instruments-sss-fatigue`). A list is also kept whole under its own
    name, for check-box lists (`instruments-wpi`, `typical_aura`). Special cases of the wizard: a headache type's
    `aura` is a Yes/No question (null = No) with the aura's own questions below it; MIDAS numbers its `items`
    like any questionnaire (items A and B keep their keys: `instruments-midas-a`, `-b`); CSI part B
    (`instruments-csi_b`) is a check-box list whose empty answer [] is its own "None of these" box; "a second kind
    of headache?" is asked when there is a headache."""
    out: dict = {}

    def put(path: tuple, value) -> None:
        name = "-".join(str(p) for p in path)
        if len(path) == 3 and path[0] == "ha_types" and path[2] == "aura":
            out[name] = "no" if value is None else "yes"
            if value is None:
                return
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "items" and path[0] == "instruments":
                    for i, v in enumerate(item):
                        put((*path, i), v)
                else:
                    put((*path, key), item)
        elif isinstance(value, list):
            out[name] = ["none_of_these"] if name == "instruments-csi_b" and not value else value
            for i, item in enumerate(value):
                put((*path, i), item)
        else:
            out[name] = value

    for key, value in answers.items():
        put((key,), value)
    if answers.get("has_headache") == "yes":
        out["ha_second_type"] = "yes" if len(answers.get("ha_types") or []) == 2 else "no"
    return out


def form_value(value) -> str:
    """How an answer is spelt in the HTML: booleans are the Yes/No radios' "yes"/"no"."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return "" if value is None else str(value)


def in_form_order(answers: dict) -> dict:
    """Check-box lists come back in the order the form lists the choices; the engine ignores their order."""
    from intake.triage.instruments.csi import CONDITION_CODES
    from intake.triage.instruments.wpi import AREA_CODES

    answers = copy.deepcopy(answers)
    for key, order in (("wpi", AREA_CODES), ("csi_b", CONDITION_CODES)):
        if key in answers.get("instruments", {}):
            answers["instruments"][key] = sorted(answers["instruments"][key], key=order.index)
    return answers


def triage_command(answers: dict) -> dict:
    """The summary that `python manage.py triage -` prints for these answers (the real command, a subprocess)."""
    done = subprocess.run(  # noqa: S603 - fixed command line
        [sys.executable, "manage.py", "triage", "-"], cwd=ROOT, input=json.dumps(answers), capture_output=True,
        text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, (done.returncode, done.stdout[-2000:], done.stderr[-2000:])
    return json.loads(done.stdout)


# ---------------------------------------------------------------- invitations and drafts (staff side, in the DB)
def invite(**kwargs):
    """A new invitation: (invitation, raw token); the link is /i/<token>/."""
    kwargs.setdefault("email", "pat@example.org")
    kwargs.setdefault("first_name", "Pat")
    return services.invitation_create(**kwargs)


def seed_draft(invitation, answers: dict, upto: str | None = None) -> None:
    """A draft as if the patient had already answered every step before `upto` (None: every step, so the link
    opens the review page). Used where a test is about what comes after, to keep the browser set fast."""
    packs = wz.active_packs()
    names = wz.question_index(packs)
    flat = wz.to_flat(answers, names)
    steps = wz.assemble(flat, names, packs)[1]
    slugs = [s.slug for s in steps]
    done = slugs if upto is None else slugs[: slugs.index(upto)]
    nested = wz.nest(flat, names)
    for step in steps[len(done):]:
        for q in wz.flatten(wz.step_blocks(step, nested, packs)):
            flat.pop(q.name, None)
    flat["_done"], flat["_raw"] = done, {}
    services.draft_save(draft=services.draft_get(invitation=invitation), answers=flat, step=upto or "review")


# ---------------------------------------------------------------- the patient
class Patient:
    """A person with a phone: opens the link, answers each step through the page, presses Next, sends."""

    def __init__(self, page: Page):
        self.page = page
        self.used: set[str] = set()  # input names that were answered

    @property
    def slug(self) -> str:
        path = re.sub(r"^https?://[^/]+", "", self.page.url).split("?")[0].split("#")[0]
        match = re.fullmatch(r"/intake/step/([\w-]+)/", path)
        if match:
            return match.group(1)
        return path.strip("/").split("/")[-1]  # "review", "result", "acknowledge" or the token

    def open(self, path: str, status: int = 200):
        response = self.page.goto(path)
        assert response is not None and response.status == status, (path, response and response.status)
        return response

    def start(self, token: str) -> None:
        """Open the invitation link on a new phone and press Start."""
        self.open(f"/i/{token}/")
        self.page.get_by_role("heading", name="Before your visit").wait_for()
        with self.page.expect_navigation():
            self.page.get_by_role("link", name="Start", exact=True).click()
        assert self.slug == "about"

    def _inputs(self) -> dict[str, list[dict]]:
        """The step's inputs by name, in page order, with their state and whether they can be seen now."""
        found = self.page.locator("#step-form input:not([type=hidden]), #step-form textarea").evaluate_all(
            """els => els.map(e => {
                const label = document.querySelector('label[for="' + CSS.escape(e.id) + '"]');
                const target = e.type === "radio" || e.type === "checkbox" ? label : e;
                const shown = !!target && target.getClientRects().length > 0 && !e.closest("[hidden]");
                return {name: e.name, type: e.type, value: e.value, id: e.id, checked: e.checked, shown: shown};
            })"""
        )
        by_name: dict[str, list[dict]] = {}
        for element in found:
            by_name.setdefault(element["name"], []).append(element)
        return by_name

    def _label(self, input_id: str):
        return self.page.locator(f'label[for="{input_id}"]')

    def _click(self, element: dict) -> None:
        """A tap on the label of a radio or check box. Labels that were on screen when the step was read are
        clicked at once (their actionability is known; every answer is checked afterwards in `fill`); a follow-up
        that an earlier answer has just revealed goes through Playwright's waiting for it to become visible."""
        self._label(element["id"]).click(force=element["shown"])

    def fill(self, values: dict) -> None:
        """Answer every question on this step that `values` has an answer for, in page order. A follow-up that is
        hidden until an earlier answer calls for it appears as that answer is given (wizard.js). Afterwards every
        input is read back from the page and must hold the answer."""
        wanted: dict[str, object] = {}  # input id -> checked (bool) or text
        inputs = self._inputs()
        for name, group in inputs.items():
            if name.endswith("-not_sure"):  # medicine days: "Not sure" instead of a number
                wanted[group[0]["id"]] = values.get(name.removesuffix("-not_sure")) == "not_sure"
                continue
            if name not in values:
                continue  # optional, or a tick box left unticked (= "no")
            value = values[name]
            self.used.add(name)
            kind = group[0]["type"]
            if kind == "radio":
                assert form_value(value) in [e["value"] for e in group], (
                    f"{self.slug}: {name} has no choice {value!r} ({[e['value'] for e in group]})")
                for element in group:
                    wanted[element["id"]] = element["value"] == form_value(value)
            elif kind == "checkbox" and isinstance(value, list):  # a check-box list: tick exactly these
                for element in group:
                    wanted[element["id"]] = element["value"] in {form_value(v) for v in value}
            elif kind == "checkbox":  # one tick box: ticked = yes / true
                wanted[group[0]["id"]] = value in ("yes", True)
            elif value != "not_sure":
                wanted[group[0]["id"]] = form_value(value)
        by_id = {e["id"]: e for group in inputs.values() for e in group}
        for input_id, want in wanted.items():
            element = by_id[input_id]
            if isinstance(want, bool):
                # A radio is chosen by tapping it (never "unchosen"); a check box is tapped to change it.
                if element["checked"] != want and (want or element["type"] == "checkbox"):
                    self._click(element)
            else:
                self.page.locator(f'[id="{input_id}"]').fill(want)
        for attempt in (1, 2):
            now = {e["id"]: e for group in self._inputs().values() for e in group}
            wrong = {i: w for i, w in wanted.items()
                     if (now[i]["checked"] if isinstance(w, bool) else now[i]["value"]) != w}
            if not wrong:
                return
            assert attempt == 1, f"{self.slug}: these inputs do not hold their answers: {wrong}"
            for input_id, want in wrong.items():  # a tap that missed (the page moved under it): again, patiently
                element = {**now[input_id], "shown": False}
                if want is True or (want is False and element["type"] == "checkbox"):
                    self._click(element)
                elif want is False:
                    continue  # a radio is unticked by ticking the right one of its question
                else:
                    self.page.locator(f'[id="{input_id}"]').fill(wanted[input_id])

    def press(self, button: str, status: int = 200) -> None:
        with self.page.expect_navigation() as navigation:
            self.page.get_by_role("button", name=button, exact=True).click()
        response = navigation.value
        assert response is not None and response.status == status, (button, response and response.status)

    def next(self) -> str:
        """Press Next; the step must be accepted (the wizard moves on instead of showing the step's errors)."""
        slug = self.slug
        self.press("Next")
        if self.slug == slug:
            errors = self.page.locator("#error-summary")
            raise AssertionError(f"step {slug} was refused: {errors.inner_text() if errors.count() else '?'}")
        return self.slug

    def answer_all(self, values: dict, each=None) -> list[str]:
        """Answer step after step until the review page; `each(patient, slug)` runs on each step once it is filled
        in. Returns the steps visited, in order."""
        visited = []
        for _ in range(len(wz.STEPS) + 1):
            if self.slug == "review":
                return visited
            visited.append(self.slug)
            self.fill(values)
            if each is not None:
                each(self, self.slug)
            self.next()
        raise AssertionError(f"the wizard did not reach the review page: {visited}")

    def send(self, checkins: bool = False) -> None:
        """On the review page: accept the privacy notice and send the answers."""
        assert self.slug == "review"
        self._label("id_privacy").click()
        if checkins:
            self._label("id_checkins").click()
        self.press("Send my answers")
        assert self.slug == "result", self.page.url


# ---------------------------------------------------------------- accessibility and screenshots
AXE = Axe()


def assert_accessible(page: Page, screen: str) -> list[dict]:
    """axe-core on the page as shown: no serious or critical violation. Returns the lesser ones (for a report)."""
    violations = AXE.run(page).response["violations"]
    bad = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not bad, f"axe on {screen}:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}: {[n['target'] for n in v['nodes']][:5]}" for v in bad
    )
    return [v for v in violations if v not in bad]


def screenshot(page: Page, name: str) -> None:
    """With SCREENSHOTS=1: the whole page as a PNG under docs/screenshots/patient/, reduced to a 64-colour palette
    (text and flat colours lose nothing visible) so that each file stays under 200 KB, small enough to commit."""
    if not SCREENSHOTS:
        return
    from PIL import Image

    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    # The last answer tapped keeps the focus ring; a screenshot shows the page as it is read, not mid-answer.
    page.evaluate("() => { const e = document.activeElement; if (e && e.matches('input, button')) e.blur(); }")
    page.screenshot(path=str(path), full_page=True, animations="disabled", caret="hide")
    with Image.open(path) as image:
        rgb = image.convert("RGB")
    for colours in (64, 32, 16):  # fewer colours only for a very long page
        small = rgb.quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        small.save(path, optimize=True)
        if path.stat().st_size < SCREENSHOT_MAX_BYTES:
            return
    raise AssertionError(f"{path.name} is {path.stat().st_size} bytes, more than {SCREENSHOT_MAX_BYTES}")
