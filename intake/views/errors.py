"""Friendly error pages in the patient's style (never a bare server page)."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def not_found(request, exception=None) -> HttpResponse:
    return render(request, "patient/not_found.html", status=404)


def server_error(request) -> HttpResponse:
    # No request context: the error may have come from a context processor or the session itself.
    return HttpResponseServerError(loader.get_template("500.html").render())
