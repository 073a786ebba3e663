"""Hand-written queries that pages run on every request, planned once.

psycopg2 sends each query as text, so PostgreSQL plans it afresh every time;
for the short queries a page runs, planning costs as much as running. On
PostgreSQL, execute() prepares each statement once per connection (the
statement outlives transactions, and connections are kept between requests)
and then only executes it.
"""

import hashlib
import re
from weakref import WeakKeyDictionary

from django.conf import settings

# A database connection (psycopg2's own) -> names of statements prepared on it.
_prepared = WeakKeyDictionary()
_PLACEHOLDER = re.compile(r"%%|%s")


def execute(cursor, sql, params):
    """cursor.execute(sql, params), through a prepared statement on PostgreSQL.

    `sql` uses %s placeholders and no other parameter syntax. Off with the
    setting DATABASE_PREPARED_STATEMENTS (a connection pooler in transaction
    mode would hand the statement to a session that never prepared it).
    """
    if cursor.db.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
        return cursor.execute(sql, params)
    names = _prepared.setdefault(cursor.db.connection, set())
    if names is None:  # something failed on this connection: plain queries
        return cursor.execute(sql, params)
    name = "heseltine_" + hashlib.sha1(sql.encode()).hexdigest()[:16]
    arguments = ", ".join(["%s"] * len(params))
    statement = f"EXECUTE {name}({arguments})" if params else f"EXECUTE {name}"
    if name not in names:
        # One round trip and, as Django counts them, one query. The line
        # break ends any comment at the end of `sql`.
        statement = f"PREPARE {name} AS {_numbered(sql)}\n; {statement}"
    try:
        result = cursor.execute(statement, params)
    except Exception:
        # Whether the statement was prepared is now unknown: stop preparing
        # on this connection rather than guess.
        _prepared[cursor.db.connection] = None
        raise
    names.add(name)
    return result


def _numbered(sql):
    """%s placeholders as PostgreSQL's $1, $2...; %% stays for psycopg2."""
    numbers = iter(range(1, sql.count("%s") + 1))
    return _PLACEHOLDER.sub(
        lambda match: "%%" if match.group() == "%%" else f"${next(numbers)}", sql
    )
