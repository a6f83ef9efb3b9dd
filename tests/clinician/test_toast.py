"""The large JSON columns are compressed with lz4 on PostgreSQL (issue #7, intake/toast.py): set by migration, used
by the values an intake writes, and a server that refuses the setting leaves the column as it was."""

from __future__ import annotations

import logging

from django.db import connection

from intake.models import Intake
from intake.toast import lz4

from .factories import make_intake

LZ4_COLUMNS = {
    ("intake_intake", "answers"), ("intake_intake", "summary"), ("intake_intakedraft", "answers"),
    ("checkins_checkinresponse", "answers"), ("checkins_checkinresponse", "summary"), ("checkins_checkin", "draft"),
}


def compression(table: str, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attcompression FROM pg_attribute WHERE attrelid = %s::regclass AND attname = %s", [table, column]
        )
        return cursor.fetchone()[0]


def test_the_migrations_set_lz4_on_every_large_json_column(db):
    assert {tc: compression(*tc) for tc in LZ4_COLUMNS} == {tc: "l" for tc in LZ4_COLUMNS}
    assert compression("intake_patient", "first_name") == ""  # every other column keeps the server's default


def test_an_intake_summary_is_stored_lz4_compressed_and_reads_back_whole(db):
    intake = make_intake("ED_NOW")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_column_compression(summary), octet_length(summary::text) FROM intake_intake "
                       "WHERE id = %s", [intake.pk])
        method, size = cursor.fetchone()
    assert size > 2000  # large enough to be compressed at all (TOAST's threshold is ~2 kB)
    assert method == "lz4"
    assert Intake.objects.get(pk=intake.pk).summary == intake.summary


class _Editor:
    def __init__(self):
        self.connection = connection

    def quote_name(self, name):
        return connection.ops.quote_name(name)

    def execute(self, sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)


def test_a_refused_setting_is_logged_and_the_migration_goes_on(db, caplog):
    operation = lz4(("intake_intake", "no_such_column"), ("intake_intake", "answers"))
    editor = _Editor()
    operation.reverse_code(None, editor)  # back to pglz: the second column is still reached after the first fails
    assert "no_such_column" in caplog.text and caplog.records[0].levelno == logging.WARNING
    assert compression("intake_intake", "answers") == "p"
    operation.code(None, editor)
    assert compression("intake_intake", "answers") == "l"
    assert Intake.objects.count() == 0  # the transaction is still usable after the refused statement
