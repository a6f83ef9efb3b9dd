"""`{{ row|worklist_row }}`: one worklist row written by intake/clinician/render.py (issue #7)."""

from __future__ import annotations

from django import template

from intake.clinician import render

register = template.Library()


@register.filter
def worklist_row(row):
    return render.worklist_row(row)
