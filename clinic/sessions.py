"""Django's database session store, with the read every request makes written once per process (issue #7).

`SessionStore._get_session_from_db` is Django's `Session.objects.get(session_key=..., expire_date__gt=now)`: on
every request that reads its session (every patient page, every clinician page) the ORM compiled that query again.
The saving is small (about 1 % of a wizard step's CPU in bench/inprocess.py, within its noise) but every page has
it. Here the same statement is written once from the model's
table and column names and run with the same two parameters; what it returns and what it does when no live session
matches (the key is dropped, so a new one is made on save) are Django's. Everything else (saving, creating,
deleting, `clearsessions`) is Django's unchanged. tests/security/test_sessions.py compares it with Django's store.

Settings: SESSION_ENGINE = "clinic.sessions".
"""

from __future__ import annotations

from functools import cache

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


@cache
def _sql(model, vendor: str) -> str:  # noqa: ARG001 - one statement per model and database vendor (quoting)
    q = connections[router.db_for_read(model)].ops.quote_name
    meta = model._meta
    data, key, expires = (q(meta.get_field(name).column) for name in ("session_data", "session_key", "expire_date"))
    return f"SELECT {data} FROM {q(meta.db_table)} WHERE {key} = %s AND {expires} > %s"  # noqa: S608 - names only


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        now = connection.ops.adapt_datetimefield_value(timezone.now())  # as the ORM sends it
        with connection.cursor() as cursor:
            cursor.execute(_sql(model, connection.vendor), [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django's store: no live session with this key
            return None
        return model(session_key=self.session_key, session_data=row[0])
