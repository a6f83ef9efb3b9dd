"""The form of one wizard step, built from the step's questions (intake/wizard.py).

Parsing is Django's (each input on its own, so one bad answer never loses the others). Required-ness is the
schema's: after parsing, the step's answers are merged into the draft and every question is checked with
`wizard.is_asked` / `is_required` (schema Conditions). The engine's own validation then runs on the assembled
answers, and its errors for this step's inputs (consistency checks of contract B.14, aura types, ...) are shown
next to the inputs in plain words. Every field is `required=False` for Django: the HTML never carries `required`,
so hidden follow-up questions cannot block the browser, and the server decides.
"""

from __future__ import annotations

import json
import re

from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html

from intake import questions as words
from intake import wizard as wz
from intake.triage import validate

RAW_MAX = 200  # characters of an invalid answer kept in the draft to show it again
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # never stored (PostgreSQL JSON refuses NUL)


def _message(key: str, **kwargs) -> str:
    return str(words.MSG[key]) % kwargs if kwargs else str(words.MSG[key])


def _number_message(q: wz.Question) -> str:
    if q.kind == "number":
        return _message("number", lo=_fmt(q.lo), hi=_fmt(q.hi))
    if q.hi is None:
        return _message("whole_number_min", lo=_fmt(q.lo))
    return _message("whole_number", lo=_fmt(q.lo), hi=_fmt(q.hi))


def _fmt(n) -> str:
    return str(int(n)) if isinstance(n, float) and n.is_integer() else str(n)


def _str_choices(q: wz.Question) -> list:
    choices = [("yes" if v is True else "no" if v is False else str(v), label) for v, label in q.choices]
    if q.none_choice:
        choices.append((wz.NONE_OF_THESE, words.MSG["none_of_these"]))
    return choices


def django_field(q: wz.Question) -> forms.Field:
    common = {"required": False, "label": q.label, "help_text": q.help}
    if q.kind in ("enum", "ui", "presence", "intchoice", "bool"):
        return forms.ChoiceField(
            choices=_str_choices(q), widget=forms.RadioSelect, error_messages={"invalid_choice": _message("choose")},
            **common,
        )
    if q.kind in ("int", "med"):
        msg = _number_message(q)
        return forms.IntegerField(
            min_value=q.lo, max_value=q.hi,
            widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            error_messages={"invalid": msg, "min_value": msg, "max_value": msg}, **common,
        )
    if q.kind == "number":
        msg = _number_message(q)
        return forms.FloatField(
            min_value=q.lo, max_value=q.hi,
            widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal", "autocomplete": "off"}),
            error_messages={"invalid": msg, "min_value": msg, "max_value": msg}, **common,
        )
    if q.kind == "codes":
        return forms.MultipleChoiceField(
            choices=_str_choices(q), widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": _message("choose"), "invalid_list": _message("choose")}, **common,
        )
    if q.kind in ("tick", "booltick"):
        return forms.BooleanField(**common)
    if q.kind == "text":
        return forms.CharField(
            max_length=wz.MAX_TEXT, error_messages={"max_length": _message("text_too_long", n=wz.MAX_TEXT)}, **common
        )
    raise ValueError(q.kind)  # pragma: no cover


def to_data(q: wz.Question, value):
    """A stored answer as form data (what the browser would post)."""
    if value is None:
        return ""
    if q.kind in ("tick", "booltick"):
        return "on" if value in (True, "yes") else ""
    if q.kind == "bool":
        return "yes" if value is True else "no"
    if q.kind == "med":
        return "" if value == "not_sure" else str(value)
    if q.kind == "codes":
        if q.none_choice and value == []:
            return [wz.NONE_OF_THESE]
        return [str(v) for v in value] if isinstance(value, list) else []
    return str(value)


def _not_sure_name(q: wz.Question) -> str:
    return f"{q.name}-not_sure"


class StepForm(forms.Form):
    """One step. `flat` is the draft; after `is_valid()`, `values` holds every valid answer of this step (to be
    saved even when other answers have errors) and `drop` the names to remove from the draft."""

    def __init__(self, *, step: wz.Step, blocks: list, flat: dict, names: dict, packs: dict, data=None):
        self.step, self.flat, self.names, self.packs = step, flat, names, packs
        self.blocks = blocks
        nested = wz.nest(flat, names)
        self.questions = [q for q in wz.flatten(blocks) if wz.could_apply(q, flat, names, nested)]
        initial = {}
        for q in self.questions:
            if q.name in flat:
                initial[q.name] = to_data(q, flat[q.name])
                if q.kind == "med" and flat[q.name] == "not_sure":
                    initial[_not_sure_name(q)] = True
        super().__init__(data=data, initial=initial, auto_id="id_%s")
        for q in self.questions:
            self.fields[q.name] = django_field(q)
            if q.kind == "med":
                label = format_html('{}<span class="visually-hidden"> ({})</span>', words.Q["med_days.not_sure"].label,
                                    q.label)
                self.fields[_not_sure_name(q)] = forms.BooleanField(required=False, label=label)
        self.values: dict = {}
        self.drop: set = set()
        # After clean(): the draft with this step's answers, and wizard.assemble() of it (the view reuses it).
        self.assembled_for: dict | None = None
        self.assembled: tuple | None = None

    # ------------------------------------------------------------ parsing
    def _value(self, q: wz.Question, cd: dict):
        raw = cd.get(q.name)
        if q.kind in ("enum", "ui", "presence"):
            return raw if raw else wz.MISSING
        if q.kind == "intchoice":
            return int(raw) if raw not in (None, "") else wz.MISSING
        if q.kind == "bool":
            return {"yes": True, "no": False}.get(raw, wz.MISSING)
        if q.kind == "med":
            if cd.get(_not_sure_name(q)):
                return "not_sure"
            return wz.MISSING if raw is None else raw
        if q.kind in ("int", "number"):
            if raw is None:
                return None if q.nullable else wz.MISSING
            if q.kind == "number" and isinstance(raw, float) and raw.is_integer():
                return int(raw)
            return raw
        if q.kind == "codes":
            chosen = set(raw or [])
            codes = [v for v in q.values if str(v) in chosen]
            if q.none_choice:
                # Only the "None of these" box is the answer [] (its clash with a ticked code is refused in clean).
                return [] if wz.NONE_OF_THESE in chosen else codes or wz.MISSING
            # An optional checklist left blank is "not answered" (absent, so never read as "none", B.1); a required
            # one (pre-eclampsia symptoms, usual aura) left blank is the answer "none of these" ([]).
            return wz.MISSING if not codes and q.required is wz.OPTIONAL else codes
        if q.kind == "tick":
            return "yes" if raw else "no"
        if q.kind == "booltick":
            return bool(raw)
        if q.kind == "text":
            return raw.strip() if raw and raw.strip() else wz.MISSING
        raise ValueError(q.kind)  # pragma: no cover

    def clean(self):
        cd = self.cleaned_data
        values, drop = {}, set()
        for q in self.questions:
            if q.name in self._errors or (q.kind == "med" and _not_sure_name(q) in self._errors):
                continue
            if q.none_choice and wz.NONE_OF_THESE in (cd.get(q.name) or []) and set(cd[q.name]) - {wz.NONE_OF_THESE}:
                self.add_error(q.name, _message("none_and_codes"))
                continue
            value = self._value(q, cd)
            if value is wz.MISSING:
                drop.add(q.name)
            else:
                values[q.name] = value
        merged = {k: v for k, v in self.flat.items() if k not in drop}
        merged.update(values)
        a = wz.nest(merged, self.names)
        for q in self.questions:
            asked = wz.is_asked(q, merged, self.names, a)
            if not asked:
                # A follow-up whose answer no longer calls for it is removed, never sent (schema Condition).
                values.pop(q.name, None)
                merged.pop(q.name, None)
                drop.add(q.name)
            elif wz.is_required(q, asked) and q.name not in merged and q.name not in self._errors:
                self.add_error(q.name, self._required_message(q))
        self._check_groups(merged)
        self._check_with_engine(merged)
        self.values, self.drop = values, drop
        return cd

    def _required_message(self, q: wz.Question) -> str:
        if q.rf:
            return _message("required_rf")
        if q.kind in ("int", "number", "med"):
            return _message("required_number")
        return _message("required")

    def _check_groups(self, merged: dict) -> None:
        for block in self.blocks:
            if not isinstance(block, wz.Group) or block.kind != "instrument":
                continue
            qs = [q for q in block.questions if q in self.questions]
            if block.policy == "all":
                # PHQ-9 and the other "all items required" instruments (B.13): item 9 of the PHQ-9 is never skipped.
                # Optional extra items (MIDAS A and B) may be left blank.
                for q in qs:
                    if q.required is not wz.OPTIONAL and q.name not in merged and q.name not in self._errors:
                        self.add_error(q.name, _message("required"))
            elif block.policy == "psfs":
                complete = 0
                first_empty = None
                for i in range(5):
                    act, score = f"instruments-psfs-{i}-activity", f"instruments-psfs-{i}-score"
                    has_act, has_score = act in merged, score in merged
                    if has_act and has_score:
                        complete += 1
                    elif has_act and score not in self._errors:
                        self.add_error(score, _message("psfs_score"))
                    elif has_score and act not in self._errors:
                        self.add_error(act, _message("psfs_activity"))
                    elif not has_act and not has_score and first_empty is None:
                        first_empty = act
                if 0 < complete < 3 and first_empty and first_empty not in self._errors:
                    self.add_error(first_empty, _message("psfs_rows"))

    def _check_with_engine(self, merged: dict) -> None:
        self.assembled = wz.assemble(merged, self.names, self.packs)
        self.assembled_for = {k: v for k, v in merged.items() if not k.startswith("_")}
        answers = self.assembled[0]
        _clean, errors = validate(answers)
        mine = {q.name for q in self.questions}
        for error in errors:
            if error.problem == "required":
                continue  # decided above, from the same schema Conditions, with the patient's wording
            name = wz.error_input_name(error.field, mine)
            if name is None or name in self._errors:
                continue
            self.add_error(name, engine_message(error))

    # ------------------------------------------------------------ raw input kept in the draft
    def raw_input(self) -> dict:
        """The invalid inputs as typed (trimmed), so the patient sees them again; never stored as answers."""
        raw = {}
        for name in self._errors:
            if name not in self.fields or self.data is None:
                continue
            if isinstance(self.fields[name], forms.MultipleChoiceField):
                continue
            value = self.data.get(name)
            if isinstance(value, str):
                value = CONTROL.sub("", value)[:RAW_MAX]
                if value:
                    raw[name] = value
        return raw

    # ------------------------------------------------------------ layout for the template
    def error_summary(self) -> list[dict]:
        items = []
        for q in self.questions:
            for name in (q.name, _not_sure_name(q)):
                if name in self._errors:
                    for message in self._errors[name]:
                        items.append({"anchor": anchor(q, name), "label": q.label, "message": message})
        return items

    def layout(self) -> list[dict]:
        shown = {q.name for q in self.questions}

        def item(q: wz.Question) -> dict:
            bf = self[q.name]
            entry = {"type": widget_type(q), "field": bf, "inline": q.inline, "show_when": show_when(q)}
            if q.kind == "med":
                entry["not_sure"] = self[_not_sure_name(q)]
            return entry

        out = []
        for block in self.blocks:
            if isinstance(block, wz.Group):
                fields = [item(q) for q in block.questions if q.name in shown]
                if fields:
                    out.append({"type": block.kind, "label": block.label, "help": block.help, "fields": fields,
                                "attribution": block.attribution, "key": block.key})
            elif block.name in shown:
                out.append(item(block))
        return out


def widget_type(q: wz.Question) -> str:
    if q.kind in ("enum", "ui", "presence", "intchoice", "bool"):
        return "radios"
    if q.kind == "codes":
        return "checkboxes"
    if q.kind in ("tick", "booltick"):
        return "checkbox"
    if q.kind == "med":
        return "med"
    return "input"


def show_when(q: wz.Question) -> str:
    if not q.follow_up:
        return ""
    return json.dumps([{"name": n, "op": op, "value": list(v) if isinstance(v, tuple) else v}
                       for n, op, v in q.follow_up])


def anchor(q: wz.Question, name: str | None = None) -> str:
    """The id of the first input of a question, for links from the error summary and the review page."""
    name = name or q.name
    if name == q.name and widget_type(q) in ("radios", "checkboxes"):
        return f"id_{name}_0"
    return f"id_{name}"


def engine_message(error) -> str:
    if error.problem == "wrong_length":
        return _message("at_least_one")
    if error.problem == "inconsistent":
        key = re.sub(r"\[\d+\]", "", error.field)
        for candidate in (key, key.split(".")[0]):
            if candidate in words.INCONSISTENT:
                return str(words.INCONSISTENT[candidate])
    return _message("inconsistent")


def bound_data(questions: list, flat: dict, raw: dict) -> MultiValueDict:
    """Form data that redisplays a step as last posted: stored answers, with invalid input shown as typed."""
    data = MultiValueDict()
    for q in questions:
        if q.name in raw:
            data[q.name] = raw[q.name]
        elif q.name in flat:
            value = to_data(q, flat[q.name])
            if isinstance(value, list):
                data.setlist(q.name, value)
            elif value != "":
                data[q.name] = value
            if q.kind == "med" and flat[q.name] == "not_sure":
                data[_not_sure_name(q)] = "on"
    return data
