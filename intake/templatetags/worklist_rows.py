"""`{{ rows|worklist_rows }}`: the worklist's rows, written by intake/clinician/render.py (issue #7)."""

from __future__ import annotations

from django import template

from intake.clinician import render

register = template.Library()


@register.filter
def worklist_rows(rows):
    return render.worklist_rows(rows)
