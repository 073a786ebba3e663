"""Hand-written queries are prepared once per connection on PostgreSQL."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from heseltine import db

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements"
)
SQL = "SELECT CAST(%s AS integer) + CAST(%s AS integer), '100%%'"


def prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall()}


def run(sql=SQL, params=(40, 2)):
    with connection.cursor() as cursor:
        db.execute(cursor, sql, params)
        return cursor.fetchall()


def test_placeholders_are_numbered_and_a_literal_percent_kept():
    numbered = "SELECT CAST($1 AS integer) + CAST($2 AS integer), '100%%'"
    assert db._numbered(SQL) == numbered


def test_the_results_are_those_of_the_plain_query():
    assert run() == [(42, "100%")]
    assert run(params=(1, 1)) == [(2, "100%")]


@on_postgresql
def test_a_statement_is_prepared_once_then_only_executed():
    sql = f"{SQL} -- once"  # a statement no other test has prepared
    before = prepared_statements()
    with CaptureQueriesContext(connection) as first:
        run(sql)
    with CaptureQueriesContext(connection) as second:
        run(sql, params=(1, 2))
    new = prepared_statements() - before
    assert len(new) == 1
    assert len(first) == len(second) == 1
    assert first[0]["sql"].startswith("PREPARE ")
    assert second[0]["sql"].startswith("EXECUTE ")
    assert run(sql) == [(42, "100%")]
    assert prepared_statements() - before == new


@on_postgresql
def test_the_setting_turns_preparing_off(settings):
    settings.DATABASE_PREPARED_STATEMENTS = False
    before = prepared_statements()
    with CaptureQueriesContext(connection) as queries:
        assert run("SELECT CAST(%s AS integer) * 2", (21,)) == [(42,)]
    assert queries[0]["sql"] == "SELECT CAST(21 AS integer) * 2"
    assert prepared_statements() == before


@on_postgresql
def test_after_a_failure_the_connection_runs_plain_queries():
    with pytest.raises(DatabaseError), transaction.atomic():
        run("SELECT CAST(%s AS integer) FROM no_such_table", (1,))
    with CaptureQueriesContext(connection) as queries:
        assert run("SELECT CAST(%s AS integer) * 3", (2,)) == [(6,)]
    assert queries[0]["sql"] == "SELECT CAST(2 AS integer) * 3"
