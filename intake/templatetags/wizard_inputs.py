"""Template filters that write a question's inputs with intake/forms/render.py (issue #7: faster than templates)."""

from __future__ import annotations

from django import template

from intake.forms import render

register = template.Library()


@register.filter
def wizard_item(item: dict):
    """One question of a wizard step or a check-in: {"type", "field", "inline", "show_when"[, "not_sure"]}."""
    return render.item(item)


@register.filter
def wizard_checkbox(bound_field):
    return render.checkbox(bound_field)


@register.filter
def fast_widget(bound_field):
    """A form field's widget; a plain <select> or <input> is written in Python (intake/forms/render.py)."""
    return render.widget(bound_field)


@register.filter
def review_rows(rows):
    """One review section's answers (intake/forms/render.py)."""
    return render.review_rows(rows)
