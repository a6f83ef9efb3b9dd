"""A honeypot on the wizard's first step: an input no person sees (hidden by CSS, out of the tab order, labelled
"leave empty" for screen readers that ignore the CSS). A form post that fills it in is from a bot: it is silently
dropped (the bot gets the same redirect a person would, and nothing is saved)."""

from __future__ import annotations

import logging

from django.http import HttpRequest

log = logging.getLogger(__name__)

FIELD = "homepage"


def tripped(request: HttpRequest) -> bool:
    if (request.POST.get(FIELD) or "").strip():
        log.info("honeypot: a form post filled the hidden field; dropped")
        return True
    return False
