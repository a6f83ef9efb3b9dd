"""The patient's side: invitation link → wizard steps (autosaved) → review → submit → result screen.

Views are thin: they load the invitation from the session, call the services and the wizard helpers, and render.
The link's token is read once (`intake:start`) and never put in another URL; the session then holds the
invitation id. A GET never uses the link up; only the submit does (services.intake_submit, atomically).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from intake import honeypot, services
from intake import questions as words
from intake import wizard as wz
from intake.forms.patient import StepForm, anchor, bound_data, engine_message
from intake.forms.review import ConsentForm
from intake.models import Intake, Invitation
from intake.triage import InvalidInput, validate

SESSION_INVITATION = "intake_invitation_id"
SESSION_RESULT = "intake_result_id"
REVIEW = "review"

LINK_ERRORS = {
    # reason: (HTTP status, template)
    "unknown": (404, "patient/link_unknown.html"),
    "expired": (410, "patient/link_expired.html"),
    "used": (410, "patient/link_used.html"),
    "no_session": (403, "patient/link_needed.html"),
}


def link_error(request: HttpRequest, reason: str) -> HttpResponse:
    status, template = LINK_ERRORS[reason]
    has_result = bool(request.session.get(SESSION_RESULT)) if reason == "used" else False
    return render(request, template, {"has_result": has_result}, status=status)


class State:
    """The invitation of this session, its draft, and the questions that exist for the clinic's content packs."""

    def __init__(self, invitation: Invitation):
        self.invitation = invitation
        self.draft = services.draft_get(invitation=invitation)
        self.flat: dict = dict(self.draft.answers or {})
        self.packs = wz.active_packs()
        self.names = question_index(self.packs)
        self._assembled = None

    @property
    def assembled(self):
        if self._assembled is None:
            self._assembled = wz.assemble(self.flat, self.names, self.packs)
        return self._assembled

    @property
    def steps(self) -> list[wz.Step]:
        return self.assembled[1]

    def refresh(self, assembled_for: dict | None = None, assembled: tuple | None = None) -> None:
        """The draft changed. `assembled` is wizard.assemble() of `assembled_for` when the caller has it: used only
        if those are exactly the new draft's answers (keys starting with "_" are wizard state, never answers)."""
        self._assembled = None
        if assembled is not None and assembled_for == {k: v for k, v in self.flat.items() if not k.startswith("_")}:
            self._assembled = assembled

    def progress(self, slug: str) -> dict:
        slugs = [s.slug for s in self.steps] + [REVIEW]
        number = slugs.index(slug) + 1 if slug in slugs else 1
        return {"number": number, "total": len(slugs)}

    def after(self, slug: str) -> str:
        """The applicable step after `slug` (in the full order), or the review."""
        order = [s.slug for s in wz.STEPS]
        position = order.index(slug) if slug in order else -1
        for step in self.steps:
            if order.index(step.slug) > position:
                return step.slug
        return REVIEW

    def before(self, slug: str) -> str | None:
        order = [s.slug for s in wz.STEPS]
        position = order.index(slug) if slug in order else len(order)
        earlier = [s.slug for s in self.steps if order.index(s.slug) < position]
        return earlier[-1] if earlier else None

    def done(self) -> set:
        return set(self.flat.get("_done") or [])

    def raw(self, slug: str) -> dict:
        raw = self.flat.get("_raw") or {}
        return raw.get(slug) or {} if isinstance(raw, dict) else {}

    def save(self, step: str) -> None:
        services.draft_save(draft=self.draft, answers=self.flat, step=step)


_INDEXES: dict = {}


def question_index(packs: dict) -> dict:
    """wz.question_index, kept per process: it builds every question of every step (a few ms per request) and
    depends only on the asked questionnaires and the clinic's packs (each pack's id, date and wording)."""
    key = (tuple(settings.INTAKE_QUESTIONNAIRES),
           tuple((k, p.pk, p.uploaded_at, json.dumps(p.content, sort_keys=True)) for k, p in sorted(packs.items())))
    index = _INDEXES.get(key)
    if index is None:
        if len(_INDEXES) > 16:
            _INDEXES.clear()
        index = _INDEXES[key] = wz.question_index(packs)
    return index


def _state(request: HttpRequest) -> State | HttpResponse:
    pk = request.session.get(SESSION_INVITATION)
    invitation = Invitation.objects.select_related("patient", "draft").filter(pk=pk).first() if pk else None
    if invitation is None:
        return link_error(request, "no_session")
    if invitation.is_used:
        return link_error(request, "used")
    if invitation.is_expired():
        return link_error(request, "expired")
    return State(invitation)


def _step_url(slug: str) -> str:
    return reverse("intake:review") if slug == REVIEW else reverse("intake:step", args=[slug])


def _crisis(state: State) -> str:
    return settings.CRISIS_RESOURCES_TEXT if wz.crisis_answer_given(state.flat) else ""


# ---------------------------------------------------------------- entry
@require_http_methods(["GET", "HEAD"])
def start(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_resolve(token)
    except services.InvitationInvalid as exc:
        return link_error(request, exc.reason)
    if request.session.get(SESSION_INVITATION) != invitation.pk:
        request.session.cycle_key()  # a new identity for this link: no session fixation
    request.session[SESSION_INVITATION] = invitation.pk
    draft = services.draft_get(invitation=invitation)
    if draft.step == REVIEW or draft.step in wz.STEP_BY_SLUG:
        return redirect(_step_url(draft.step))
    return render(request, "patient/start.html", {"first_step": wz.STEPS[0].slug})


# ---------------------------------------------------------------- steps
def _render_step(request, state: State, step: wz.Step, form: StepForm, status: int = 200) -> HttpResponse:
    before = state.before(step.slug)
    return render(
        request,
        "patient/step.html",
        {
            "step": step,
            "form": form,
            "layout": form.layout(),
            "errors": form.error_summary() if form.is_bound else [],
            "progress": state.progress(step.slug),
            "has_back": before is not None,
            "return_to": request.GET.get("return") or request.POST.get("return_to") or "",
            "crisis_text": _crisis(state),
            "honeypot": honeypot.FIELD if step is wz.STEPS[0] else "",
        },
        status=status,
    )


def _blocks(state: State, step: wz.Step) -> list:
    return wz.step_blocks(step, state.assembled.kept_nested, state.packs)


@require_http_methods(["GET", "HEAD", "POST"])
def step(request: HttpRequest, slug: str) -> HttpResponse:
    state = _state(request)
    if isinstance(state, HttpResponse):
        return state
    step = wz.STEP_BY_SLUG.get(slug)
    if step is None:
        return render(request, "patient/not_found.html", status=404)
    if step not in state.steps:
        # Not asked of this patient (e.g. headache steps without headache): go on to the next step that is.
        return redirect(_step_url(state.after(slug)))
    blocks = _blocks(state, step)
    if request.method != "POST":
        raw = state.raw(slug)
        if raw:
            nested = wz.nest(state.flat, state.names)
            questions = [q for q in wz.flatten(blocks) if wz.could_apply(q, state.flat, state.names, nested)]
            form = StepForm(step=step, blocks=blocks, flat=state.flat, names=state.names, packs=state.packs,
                            data=bound_data(questions, state.flat, raw))
            form.is_valid()
        else:
            form = StepForm(step=step, blocks=blocks, flat=state.flat, names=state.names, packs=state.packs)
        return _render_step(request, state, step, form)

    if step is wz.STEPS[0] and honeypot.tripped(request):
        return redirect(_step_url(slug))  # a bot filled the hidden field: nothing saved, nothing said (issue #7)
    form = StepForm(step=step, blocks=blocks, flat=state.flat, names=state.names, packs=state.packs,
                    data=request.POST)
    valid = form.is_valid()
    # Autosave: every valid answer of the step, even when others are wrong; invalid input is kept as typed.
    flat = {k: v for k, v in state.flat.items() if k not in form.drop}
    flat.update(form.values)
    raw = dict(flat.get("_raw") or {}) if isinstance(flat.get("_raw"), dict) else {}
    done = [s for s in (flat.get("_done") or []) if s != slug] if isinstance(flat.get("_done"), list) else []
    action = request.POST.get("action", "next")
    if valid:
        raw.pop(slug, None)
        done.append(slug)
    elif action == "next":
        # The placeholder makes the step show its errors when reopened: the patient pressed Next on it.
        raw[slug] = form.raw_input() or {"_": ""}
    elif form.raw_input():
        raw[slug] = form.raw_input()  # typed but invalid input is kept as typed
    else:
        # Back / "save and finish later" on an unfinished step is not a mistake: reopen it without error messages.
        raw.pop(slug, None)
    flat["_raw"], flat["_done"] = raw, done
    state.flat = flat
    state.refresh(form.assembled_for, form.assembled)

    if action == "back":
        target = state.before(slug) or slug
    elif action == "save":
        state.save(slug)
        return render(request, "patient/saved.html", {})
    elif valid:
        target = REVIEW if request.POST.get("return_to") == REVIEW else state.after(slug)
    else:
        target = slug
    state.save(target)
    if action == "next" and not valid:
        return _render_step(request, state, step, form)
    return redirect(_step_url(target))


# ---------------------------------------------------------------- review and submit
def _review_context(state: State) -> dict:
    answers, steps, kept = state.assembled
    done = state.done()
    sections, problems = [], []
    kept_answers = state.assembled.kept_nested
    for step in steps:
        rows = []
        url = _step_url(step.slug)
        for q in wz.flatten(wz.step_blocks(step, kept_answers, state.packs)):
            if q.name not in kept or q.path is None and q.kind != "ui":
                continue
            rows.append({"label": q.label, "answer": display(q, kept[q.name]),
                         "href": f"{url}?return={REVIEW}#{anchor(q)}"})
        if step.slug not in done:
            problems.append({"href": f"{url}?return={REVIEW}", "label": step.title,
                             "message": words.MSG["section_unfinished"]})
        sections.append({"step": step, "rows": rows, "href": f"{url}?return={REVIEW}"})
    if not problems:
        problems += _engine_problems(state, answers)
    return {"sections": sections, "problems": problems, "progress": state.progress(REVIEW),
            "crisis_text": _crisis(state), "last_step": steps[-1].slug if steps else ""}


def _unfinished(state: State) -> bool:
    """Whether a step the patient is asked is not finished (the engine's own validation runs in the submit)."""
    done = state.done()
    return any(step.slug not in done for step in state.steps)


def _engine_problems(state: State, answers: dict, errors=None) -> list[dict]:
    """The engine's validation errors, each mapped back to the step (and input) it belongs to."""
    if errors is None:
        errors = validate(answers)[1]
    if not errors:
        return []
    problems = []
    kept_answers = state.assembled.kept_nested
    by_name = {}
    for step in state.steps:
        for q in wz.flatten(wz.step_blocks(step, kept_answers, state.packs)):
            by_name[q.name] = (step, q)
    for error in errors:
        name = wz.error_input_name(error.field, set(by_name))
        if name is None:
            problems.append({"href": "", "label": words.MSG["your_answers"], "message": engine_message(error)})
            continue
        step, q = by_name[name]
        message = engine_message(error) if error.problem != "required" else words.MSG["required"]
        problems.append({"href": f"{_step_url(step.slug)}?return={REVIEW}#{anchor(q)}", "label": q.label,
                         "message": message})
    return problems


def display(q: wz.Question, value) -> str:
    """An answer in the patient's words."""
    if value is None:
        return str(words.MSG["not_answered"])
    if q.kind == "med" and value == "not_sure":
        return str(words.Q["med_days.not_sure"].label)
    if q.kind in ("tick", "booltick"):
        return str(words.YES_NO["yes" if value in (True, "yes") else "no"])
    if q.kind == "codes":
        labels = dict(q.choices)
        return ", ".join(str(labels.get(v, v)) for v in value) if value else str(words.MSG["none_of_these"])
    if q.choices:
        return str(dict(q.choices).get(value, value))
    return str(value)


@require_http_methods(["GET", "HEAD"])
def review(request: HttpRequest) -> HttpResponse:
    state = _state(request)
    if isinstance(state, HttpResponse):
        return state
    return render(request, "patient/review.html", {**_review_context(state), "form": ConsentForm()})


@require_POST
def submit(request: HttpRequest) -> HttpResponse:
    state = _state(request)
    if isinstance(state, HttpResponse):
        return state
    form = ConsentForm(request.POST)
    # The whole review page is built only when it is shown again (issue #7: the submit's hot path); the answers'
    # validation is intake_submit's (InvalidInput below), run once.
    if _unfinished(state) or not form.is_valid():
        return render(request, "patient/review.html", {**_review_context(state), "form": form, "submitted": True})
    answers = state.assembled[0]
    try:
        intake = services.intake_submit(
            patient=state.invitation.patient,
            answers=answers,
            privacy_accepted=form.cleaned_data["privacy"],
            checkins_opt_in=form.cleaned_data["checkins"],
            invitation=state.invitation,
        )
    except InvalidInput as exc:
        context = _review_context(state)
        context["problems"] = _engine_problems(state, answers, exc.errors)
        return render(request, "patient/review.html", {**context, "form": form, "submitted": True})
    except services.InvitationInvalid as exc:
        return link_error(request, exc.reason)
    request.session.pop(SESSION_INVITATION, None)
    request.session[SESSION_RESULT] = intake.pk
    return redirect("intake:result")


# ---------------------------------------------------------------- result
def _result_intake(request: HttpRequest) -> Intake | None:
    pk = request.session.get(SESSION_RESULT)
    return Intake.objects.filter(pk=pk).first() if pk else None


def patient_screen(intake: Intake) -> dict:
    """What the patient is shown (contract C.5). A failed summary shows the normal thank-you to the patient; the
    clinicians see "summary failed — review manually". Crisis resources follow PHQ-9 item 9 even then (§2.5)."""
    if intake.summary:
        screen = intake.summary["patient_screen"]
        return {"screen": screen["screen"], "must_acknowledge": screen["must_acknowledge"],
                "crisis_resources": screen["crisis_resources"]}
    phq9 = (intake.answers.get("instruments") or {}).get("phq9")
    crisis = isinstance(phq9, list) and len(phq9) == 9 and wz.crisis_answer_given({"instruments-phq9-8": phq9[8]})
    return {"screen": "none", "must_acknowledge": False, "crisis_resources": crisis}


@require_http_methods(["GET", "HEAD"])
def result(request: HttpRequest) -> HttpResponse:
    intake = _result_intake(request)
    if intake is None:
        return link_error(request, "no_session")
    screen = patient_screen(intake)
    return render(request, "patient/result.html", {
        "screen": screen,
        "acknowledged": intake.emergency_acknowledged_at is not None,
        "crisis_text": settings.CRISIS_RESOURCES_TEXT if screen["crisis_resources"] else "",
        "clinic_name": settings.CLINIC_NAME,
        # Until an emergency screen is acknowledged the page offers no way out but the acknowledgement (§0.3).
        "locked": screen["must_acknowledge"] and intake.emergency_acknowledged_at is None,
    })


@require_POST
def acknowledge(request: HttpRequest) -> HttpResponse:
    intake = _result_intake(request)
    if intake is None:
        return link_error(request, "no_session")
    services.intake_acknowledge_emergency(intake=intake)
    return redirect("intake:result")
