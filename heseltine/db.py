"""The queries pages run on every request, built, compiled and planned once.

For the short queries a page runs, the ORM's building and compiling of a
QuerySet (about 0.3 ms each here) and PostgreSQL's planning (psycopg2 sends
each query as text, to be planned afresh) cost more than running them.

- `compiled` has the ORM build and compile a query once per process, then
  runs the SQL with each request's values; `compiled_sql` the same for SQL
  written around the ORM's.
- `execute` prepares a statement once per connection on PostgreSQL (it
  outlives transactions, and connections are kept between requests), then
  only executes it.
"""

import functools
import hashlib
import re
import threading
from datetime import UTC, datetime
from typing import NamedTuple
from weakref import WeakKeyDictionary

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.query import ModelIterable, ValuesIterable
from django.http import Http404

# A database connection (psycopg2's own) -> names of statements prepared on it.
_prepared = WeakKeyDictionary()
_PLACEHOLDER = re.compile(r"%%|%s")


def execute(cursor, sql, params, prepare=True):
    """cursor.execute(sql, params), through a prepared statement on PostgreSQL.

    `sql` uses %s placeholders and no other parameter syntax. `prepare=False`
    runs it as it is (see `compiled`). Off for all with the
    setting DATABASE_PREPARED_STATEMENTS (a connection pooler in transaction
    mode would hand the statement to a session that never prepared it).
    """
    on = prepare and settings.DATABASE_PREPARED_STATEMENTS
    if not on or cursor.db.vendor != "postgresql":
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


def compiled(build=None, *, prepare=True):
    """Decorate `build(*values) -> QuerySet` to build and compile it once.

    The decorated function runs the query for its values and returns a list:
    dicts for a values() query, model instances for a plain one. Values may
    be ints, strings, aware datetimes, or tuples of ints; the query is built
    again for each new shape (a tuple's length, say). `build` is called with
    stand-ins, so it must pass each value straight to a lookup; the stand-ins
    must reach the SQL's parameters unchanged, or building fails loudly.
    A value the SQL holds as text (a slice's bounds) is passed as `Fixed`:
    each one makes a statement of its own.

    Constants in the query stay as they were when it was built: what may
    change while the process runs (a content type's id, say) is a value.

    The statement is prepared (see `execute`), so PostgreSQL may keep one
    plan for all values. `prepare=False` where the best plan depends on the
    values: a tag's posts are best found from its few taggings, a broad
    theme's by walking the newest posts.
    """
    if build is None:
        return functools.partial(compiled, prepare=prepare)
    return _once_per_shape(build, functools.partial(_Statement, prepare=prepare))


def compiled_sql(build):
    """Decorate `build(*values) -> (sql, params)` to build it once per shape.

    For SQL that code writes around the ORM's; the decorated function returns
    (sql, params) for its values, to execute. The rules of `compiled` apply.
    """
    return _once_per_shape(build, _Sql)


def _once_per_shape(build, statement_class):
    statements = {}
    lock = threading.Lock()  # the development server answers in threads

    @functools.wraps(build)
    def run(*values):
        shape = tuple(_shape(value) for value in values)
        statement = statements.get(shape)
        if statement is None:
            with lock:
                if len(statements) >= MAX_STATEMENTS:  # the oldest goes
                    del statements[next(iter(statements))]
                statement = statements[shape] = statement_class(build, values)
        return statement.run(values)

    return run


MAX_STATEMENTS = 200


def first_or_404(rows):
    """The first row a compiled lookup found, or a 404."""
    if not rows:
        raise Http404("Nothing public has this address.")
    return rows[0]


class Fixed(NamedTuple):
    """A value written into a compiled query's SQL (such as a slice's bounds),
    or one that decides what the SQL is."""

    value: int | str


def _shape(value):
    if isinstance(value, Fixed):
        return value
    if isinstance(value, tuple | list):
        return (len(value),)
    if isinstance(value, bool) or not isinstance(value, int | str | datetime):
        raise TypeError(f"A compiled query cannot take {value!r}")
    return type(value)


class _Parameters:
    """Where each value goes among a query's parameters, found by stand-ins."""

    def __init__(self, build, sql, params, values, stand_ins, ops):
        slots = {}
        for number, stand_in in enumerate(stand_ins):
            if isinstance(values[number], Fixed):
                continue
            items = stand_in if isinstance(stand_in, tuple) else (stand_in,)
            for index, item in enumerate(items):
                slots[_adapt(ops, item)] = _Slot(number, index)
                if str(item) in sql or _MARK[0] in sql:
                    raise ValueError(f"{build.__qualname__} wrote a value in the SQL")
        self.params = [slots.get(param, param) for param in params]
        # A value may be left out (an empty IN), but not changed on the way.
        if any(_changed_stand_in(param) for param in self.params):
            raise ValueError(f"{build.__qualname__} changed a value: pass it as is")
        self.ops = ops

    def fill(self, values):
        return [
            _adapt(self.ops, param.value(values)) if isinstance(param, _Slot) else param
            for param in self.params
        ]


class _Sql:
    def __init__(self, build, values):
        stand_ins = _stand_ins(values)
        self.sql, params = build(*stand_ins)
        ops = connections[DEFAULT_DB_ALIAS].ops
        self.parameters = _Parameters(build, self.sql, params, values, stand_ins, ops)

    def run(self, values):
        return self.sql, self.parameters.fill(values)


class _Statement:
    def __init__(self, build, values, prepare=True):
        self.prepare = prepare
        stand_ins = _stand_ins(values)
        queryset = build(*stand_ins)
        self.using = queryset.db
        compiler = queryset.query.get_compiler(self.using)
        try:
            self.sql, params = compiler.as_sql()
        except EmptyResultSet:  # an empty slice or IN (): nothing, for this shape
            self.sql = None
            return
        ops = connections[self.using].ops
        self.parameters = _Parameters(build, self.sql, params, values, stand_ins, ops)
        columns = [column for column, _, _ in compiler.select[: compiler.col_count]]
        self.converters = compiler.get_converters(columns)
        self.compiler = compiler
        query = queryset.query
        if queryset._iterable_class is ValuesIterable:
            self.model = None
            self.names = [*query.extra_select, *query.values_select]
            self.names += list(query.annotation_select)
        elif queryset._iterable_class is ModelIterable and not query.select_related:
            self.model = queryset.model
            self.names = [column.target.attname for column in columns]
        else:
            raise TypeError(f"{build.__qualname__}: only values() or plain models")

    def run(self, values):
        if self.sql is None:
            return []
        with connections[self.using].cursor() as cursor:
            execute(cursor, self.sql, self.parameters.fill(values), self.prepare)
            rows = cursor.fetchall()
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        if self.model is None:
            return [dict(zip(self.names, row, strict=True)) for row in rows]
        return [self.model.from_db(self.using, self.names, row) for row in rows]


class _Slot(NamedTuple):
    """Where a value goes: the number of the argument, the index in a tuple."""

    number: int
    index: int

    def value(self, values):
        value = values[self.number]
        return value[self.index] if isinstance(value, tuple | list) else value


# Values no real query holds, to find where each value goes.
_MARK = "\x1fstand-in "
_STAND_IN_YEAR = 1901


def _stand_ins(values):
    return [_stand_in(value, number) for number, value in enumerate(values)]


def _stand_in(value, number):
    if isinstance(value, Fixed):
        return value.value
    if isinstance(value, tuple | list):
        return tuple(-(2**60) - number * 1000 - index for index in range(len(value)))
    if isinstance(value, datetime):
        return datetime(_STAND_IN_YEAR, 1, 1, 0, 0, number, 123, tzinfo=UTC)
    if isinstance(value, str):
        return f"{_MARK}{number}\x1f"
    return -(2**61) - number


def _changed_stand_in(param):
    if isinstance(param, _Slot | bool):
        return False
    if isinstance(param, int):
        return param < -(2**59)
    if isinstance(param, str):
        return _MARK[0] in param or param.startswith(f"{_STAND_IN_YEAR}-")
    return isinstance(param, datetime) and param.year == _STAND_IN_YEAR


def _adapt(ops, value):
    if isinstance(value, datetime):
        return ops.adapt_datetimefield_value(value)
    return value
