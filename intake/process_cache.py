"""Rows staff rarely change, kept per worker process for a few seconds (issue #7: one query less per request).

`ProcessCache(load, Model, ...)` keeps what `load()` returned for CLINIC_SETTINGS_CACHE_SECONDS (0 = read every time,
the development and test default; production settings keep them 30 s). Saving or deleting one of the models in this
process drops the value at once (and again when the transaction commits); other worker processes see the change
within the TTL. Only for clinic set-up (content packs, the check-in schedule, the worklist's list of clinicians),
never for patient data.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

_ALL: list[ProcessCache] = []


class ProcessCache:
    def __init__(self, load: Callable[[], object], *models, m2m: tuple = ()):
        """`models`: saving or deleting one drops the value; `m2m`: through models whose rows changing does too."""
        self.load = load
        self.value: object = None
        self.read_at: float | None = None
        for model in models:
            post_save.connect(self._changed, sender=model, weak=False)
            post_delete.connect(self._changed, sender=model, weak=False)
        for through in m2m:
            m2m_changed.connect(self._changed, sender=through, weak=False)
        _ALL.append(self)

    def get(self):
        ttl = getattr(settings, "CLINIC_SETTINGS_CACHE_SECONDS", 0)
        now = time.monotonic()
        if ttl <= 0 or self.read_at is None or now - self.read_at >= ttl:
            self.value, self.read_at = self.load(), now
        return self.value

    def clear(self) -> None:
        self.value, self.read_at = None, None

    def _changed(self, **_kwargs) -> None:
        self.clear()
        transaction.on_commit(self.clear)  # a reader between the save and the commit must not keep the old value


def clear_all() -> None:
    for cache in _ALL:
        cache.clear()
