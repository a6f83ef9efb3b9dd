"""The HTML of a wizard step's inputs, built in Python (issue #7).

Django's template engine spent more time on a step's inputs (a radio row per option, an include per question,
crispy-bootstrap5's field template per number box) than on everything else the page does; a step with the PHQ-9
and the GAD-7 has some 70 options. These functions write the same markup the templates wrote (Bootstrap 5 classes,
one fieldset and legend per question with options, `aria-describedby` naming the help text and the error, ids
`id_<name>` and `id_<name>_<n>` that the error summary and the review page link to), and every text goes through
format_html, which escapes anything not already marked safe, as the templates' autoescaping did.
"""

from __future__ import annotations

from django import forms
from django.forms import BoundField
from django.utils.safestring import SafeString, mark_safe

from clinic.html import format_html, format_html_join

EMPTY = mark_safe("")  # noqa: S308 - a constant empty string


def _errors(bf: BoundField, *, block: bool) -> SafeString:
    if not bf.errors:
        return EMPTY
    paragraphs = format_html_join("", '<p class="mb-1"><strong>{}</strong></p>', ((e,) for e in bf.errors))
    extra = " d-block mb-2" if block else " d-block"
    return format_html('<div id="{}_error" class="invalid-feedback{}">{}</div>', bf.auto_id, extra, paragraphs)


def _help(bf: BoundField, css: str) -> SafeString:
    if not bf.help_text:
        return EMPTY
    return format_html('<div id="{}_helptext" class="{}">{}</div>', bf.auto_id, css, bf.help_text)


def _described_by(bf: BoundField) -> SafeString:
    ids = bf.aria_describedby
    return format_html(' aria-describedby="{}"', ids) if ids else EMPTY


def _selected(bf: BoundField) -> set[str]:
    value = bf.value()
    if value is None:
        return set()
    values = value if isinstance(value, (list, tuple)) else [value]
    return {str(v) if v is not None else "" for v in values}


def choices(bf: BoundField, *, inline: bool, multiple: bool) -> SafeString:
    """Radios or check boxes in a fieldset whose legend is the question (was templates/patient/_choices.html)."""
    selected = _selected(bf)
    kind = "checkbox" if multiple else "radio"
    invalid = " is-invalid" if bf.errors else ""
    check = "form-check form-check-inline" if inline else "form-check"
    options = format_html_join(
        "\n",
        '<div class="{}"><input class="form-check-input{}" type="{}" name="{}" value="{}" id="{}_{}"{}>'
        '<label class="form-check-label" for="{}_{}">{}</label></div>',
        ((check, invalid, kind, bf.html_name, value, bf.auto_id, i, mark_safe(" checked") if str(value) in selected
          else EMPTY, bf.auto_id, i, label) for i, (value, label) in enumerate(bf.field.choices)),
    )
    help_text = _help(bf, "form-text mt-0 mb-2")
    return format_html(
        '<fieldset class="choice-group" id="div_{}"{}><legend class="form-label question">{}</legend>{}{}'
        '<div class="choices{}">{}</div></fieldset>',
        bf.auto_id, _described_by(bf), bf.label, help_text, _errors(bf, block=True),
        " choices-inline" if inline else "", options,
    )


def checkbox(bf: BoundField) -> SafeString:
    """One yes/no check box (was templates/patient/_checkbox.html)."""
    help_text = _help(bf, "form-text")
    return format_html(
        '<div class="form-check tick" id="div_{}"><input class="form-check-input{}" type="checkbox" name="{}" '
        'value="yes" id="{}"{}{}><label class="form-check-label" for="{}">{}</label>{}{}</div>',
        bf.auto_id, " is-invalid" if bf.errors else "", bf.html_name, bf.auto_id,
        mark_safe(" checked") if bf.value() else EMPTY, _described_by(bf), bf.auto_id, bf.label, help_text,
        _errors(bf, block=False),
    )


def text_input(bf: BoundField) -> SafeString:
    """A number or text box with its label (the markup of crispy-bootstrap5's field template, which it replaced)."""
    widget = bf.field.widget
    if type(widget) not in (forms.NumberInput, forms.TextInput):
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        return as_crispy_field(bf)  # any other widget (a check-in's free-text box): as crispy-bootstrap5 writes it
    attrs = widget.attrs  # the field's own (min, max, step, maxlength) are merged in by Django's Field
    value = bf.value()
    kind = "number" if widget.input_type == "number" else "text"
    attributes = format_html_join("", ' {}="{}"', ((k, v) for k, v in attrs.items() if v is not None))
    error_ps = format_html_join("", '<p id="error_{}_{}"><strong>{}</strong></p>',
                                ((i, bf.auto_id, e) for i, e in enumerate(bf.errors, start=1)))
    errors = format_html('<div id="{}_error" class="invalid-feedback">{}</div>', bf.auto_id,
                         error_ps) if bf.errors else EMPTY
    help_text = _help(bf, "form-text")
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label>'
        '<input type="{}" name="{}"{}{} class="{}input form-control{}"{}{} id="{}">{}{}</div>',
        bf.auto_id, bf.auto_id, bf.label, kind, bf.html_name,
        format_html(' value="{}"', value) if value not in (None, "") else EMPTY, attributes, kind,
        " is-invalid" if bf.errors else "", mark_safe(' aria-invalid="true"') if bf.errors else EMPTY,
        _described_by(bf), bf.auto_id, errors, help_text,
    )


def item(entry: dict) -> SafeString:
    """One question of a step: its inputs in the wrapper the browser script reads (follow-ups: data-show-when)."""
    kind, bf = entry["type"], entry["field"]
    if kind in ("radios", "checkboxes"):
        inner = choices(bf, inline=entry.get("inline", False), multiple=kind == "checkboxes")
    elif kind == "checkbox":
        inner = checkbox(bf)
    elif kind == "med":
        inner = format_html('<div class="med-row"><div class="med-days">{}</div><div class="med-not-sure">{}</div>'
                            '</div>', text_input(bf), checkbox(entry["not_sure"]))
    else:
        inner = text_input(bf)
    if entry["show_when"]:
        return format_html('<div class="q follow-up" data-show-when="{}">{}</div>', entry["show_when"], inner)
    return format_html('<div class="q">{}</div>', inner)


def _attributes(attrs: dict) -> SafeString:
    """HTML attributes as Django's widgets write them: True as a bare name, False and None left out."""
    return format_html_join("", "{}", ((format_html(' {}="{}"', k, v) if v is not True else format_html(" {}", k),)
                                      for k, v in attrs.items() if v is not False and v is not None))


# Django's widgets whose template is input.html with nothing around it (text.html, date.html ... include it).
_PLAIN_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html" for name in ("input", "text", "date", "number", "email", "search", "url", "tel")
)


def widget(bf: BoundField) -> SafeString:
    """A form field's widget: a plain <select> or <input> written in Python, anything else by Django."""
    if type(bf.field.widget) is forms.Select:
        return select(bf)
    if isinstance(bf.field.widget, forms.widgets.Input) and bf.field.widget.template_name in _PLAIN_INPUT_TEMPLATES:
        return plain_input(bf)
    return bf.as_widget()


def plain_input(bf: BoundField) -> SafeString:
    """An <input> as Django's input.html writes it: type, name, the formatted value, then the attributes."""
    widget = bf.field.widget  # one of _PLAIN_INPUT_TEMPLATES (widget() chose)
    attrs = bf.build_widget_attrs({}, widget)
    if bf.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bf.auto_id)
    context = widget.get_context(bf.html_name, bf.value(), attrs)["widget"]
    value = context["value"]
    return format_html('<input type="{}" name="{}"{}{}>', context["type"], context["name"],
                       format_html(' value="{}"', value) if value is not None else EMPTY,
                       _attributes(context["attrs"]))


def select(bf: BoundField) -> SafeString:
    """A single-choice <select> (the worklist filters' 37 flag IDs and every clinician): the markup of Django's
    Select widget, without a template per option. Any other widget is rendered by Django."""
    widget = bf.field.widget
    if type(widget) is not forms.Select or any(isinstance(label, (list, tuple)) for _v, label in bf.field.choices):
        return bf.as_widget()  # other widgets, and option groups, as Django writes them
    attrs = bf.build_widget_attrs(dict(widget.attrs), widget)
    if bf.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bf.auto_id)
    selected = _selected(bf) or {""}  # as Django's Select: no value selects the empty choice
    found = False
    options = []
    for value, label in bf.field.choices:
        chosen = not found and str(value) in selected
        found = found or chosen
        options.append((value, mark_safe(" selected") if chosen else EMPTY, label))
    return format_html('<select name="{}"{}>{}</select>', bf.html_name, _attributes({**widget.attrs, **attrs}),
                       format_html_join("", '<option value="{}"{}>{}</option>', options))


def review_rows(rows: list[dict]) -> SafeString:
    """The answers of one review section (was a loop of templates/patient/review.html): each label is translated
    once, not twice, and "Change" once per section (the review lists some 100-200 answers)."""
    from django.utils.translation import gettext

    change = gettext("Change")
    return format_html_join(
        "",
        '<div class="review-row">\n      <dt>{}</dt>\n      <dd>{} <a href="{}" class="change-link">{}'
        '<span class="visually-hidden">: {}</span></a></dd>\n    </div>',
        ((label, row["answer"], row["href"], change, label) for row in rows for label in (str(row["label"]),)),
    )
