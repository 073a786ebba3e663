"""Site-wide search over everything the public may see, in one ranked list.

On PostgreSQL each kind of content is matched with full-text search (English
stemming, weights title > standfirst > body, ranked with ts_rank) against an
expression that a GIN index covers (see `search_index`); posts, the one kind
numerous enough for ranking to cost, keep that document in a column instead
(`Kind.document`), filled by a trigger and indexed. On SQLite a simpler
case-insensitive match with a weighted score gives the same results shape.
Each kind starts from its public queryset, so nothing unpublished is found.
"""

import html
import re
from dataclasses import dataclass
from functools import cache, reduce
from operator import add, and_, or_

from django.apps import apps
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.paginator import Paginator
from django.db import connection, migrations, models
from django.db.models import Case, F, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.db.models.sql import Query
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from heseltine.dates import uk_date
from heseltine.db import Fixed, compiled_sql
from heseltine.links import url_for_slug

CONFIG = "english"
MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
WEIGHTS = "ABC"
SQLITE_SCORES = (1.0, 0.4, 0.1)  # ts_rank's default weights for A, B, C
TSQUERY = "websearch_to_tsquery(%s::regconfig, %s)"  # as SearchQuery writes it
# Bodies are sanitised on save and snippets are escaped, so a regular
# expression can drop tags: strip_tags's HTML parser took half of results().
TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    model_label: str
    fields: tuple  # field names weighted A, B and C
    summary: str
    body: str
    public: str  # the manager method giving what the public may see
    url_name: str
    date: str | None = None
    themes: str | None = None  # lookup from the row to its research themes
    # A stored copy of search_vector(kind), kept by a PostgreSQL trigger, to
    # match and rank by: ts_rank need not rebuild it for every matching row.
    document: str | None = None
    public_at: bool = False  # whether the public method takes the time (`at`)

    @property
    def model(self):
        return apps.get_model(self.model_label)

    def public_queryset(self, now=None):
        public = getattr(self.model._default_manager, self.public)
        return public(at=now) if self.public_at else public()


KINDS = (
    Kind(
        key="post",
        label="Blog post",
        model_label="blog.Post",
        fields=(("title",), ("standfirst",), ("body",)),
        summary="standfirst",
        body="body",
        public="published",
        url_name="blog:post_detail",
        date="published_at",
        themes="themes",
        public_at=True,
        # A trigger (blog migration 0005) writes search_vector() of these fields:
        # change the two together.
        document="search_document",
    ),
    Kind(
        key="theme",
        label="Research theme",
        model_label="institute.ResearchTheme",
        fields=(("title",), ("question", "summary"), ("body",)),
        summary="summary",
        body="body",
        public="active",
        url_name="institute:theme_detail",
        themes="pk",
        # Kept by a trigger (institute migration 0005), as posts' is.
        document="search_document",
    ),
    Kind(
        key="person",
        label="Person",
        model_label="institute.Person",
        fields=(("name",), ("role",), ("bio",)),
        summary="role",
        body="bio",
        public="all",
        url_name="institute:person_detail",
    ),
    Kind(
        key="partnership",
        label="Partnership",
        model_label="partnerships.Partnership",
        fields=(
            ("name", "short_name"),
            ("focus", "challenge", "region"),
            ("description",),
        ),
        summary="challenge",
        body="description",
        public="all",
        url_name="partnerships:partnership_detail",
        themes="themes",
    ),
    Kind(
        key="page",
        label="Page",
        model_label="institute.Page",
        fields=(("title",), ("standfirst",), ("body",)),
        summary="standfirst",
        body="body",
        public="published",
        url_name="institute:page_detail",
        date="updated_at",
        document="search_document",
    ),
)
KIND_CHOICES = [(kind.key, kind.label) for kind in KINDS]


def search_vector(kind):
    """The weighted document of a kind: what its GIN index covers (or stores)."""
    return reduce(
        add,
        (
            SearchVector(*names, weight=weight, config=CONFIG)
            for weight, names in zip(WEIGHTS, kind.fields, strict=False)
        ),
    )


def search_index(kind_key, name):
    """The GIN index over a kind's search vector."""
    kind = next(kind for kind in KINDS if kind.key == kind_key)
    return GinIndex(search_vector(kind), name=name)


COLUMNS = (
    "r_kind", "r_id", "r_title", "r_slug", "r_summary", "r_body", "r_date", "r_rank"
)  # fmt: skip


def _columns(kind):
    """A kind's row, named and typed alike in every kind, so a union lines up."""
    text = models.TextField()
    return {
        "r_kind": Value(kind.key, output_field=text),
        "r_id": F("pk"),
        "r_title": Cast(kind.fields[0][0], text),
        "r_slug": Cast("slug", text),
        "r_summary": Cast(kind.summary, text),
        "r_body": Cast(kind.body, text),
        "r_date": Cast(kind.date or Value(None), models.DateTimeField()),
    }


@cache
def _compiled(kind_key, vendor):
    """A kind's columns (as SQL and params) and document, built once per process.

    Building these expressions costs more than the query runs for. The
    document is the kind's stored column or else the very expression its GIN
    index covers, so the index still answers; the SQL names the kind's table,
    which its query selects from.
    """
    kind = next(kind for kind in KINDS if kind.key == kind_key)
    query = Query(kind.model)
    compiler = query.get_compiler(connection=connection)
    sqls, params = [], []
    for name, expression in _columns(kind).items():
        sql, more = compiler.compile(expression.resolve_expression(query))
        sqls.append(f"{sql} AS {connection.ops.quote_name(name)}")
        params.extend(more)
    document = None
    if vendor == "postgresql":
        vector = F(kind.document) if kind.document else search_vector(kind)
        sql, more = compiler.compile(vector.resolve_expression(query))
        # SQL compiled by the ORM, with its parameters kept apart.
        document = RawSQL(sql, more, output_field=SearchVectorField())  # noqa: S611
    return (", ".join(sqls), tuple(params)), document


def add_search_index(kind_key, model_label, name):
    """A migration operation adding a kind's GIN index, on PostgreSQL only.

    The index is not in the model's Meta, so SQLite never sees it; PostgreSQL
    keeps it up to date on every save, and uses it because queries build the
    very same expression (`search_vector`).
    """

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            model = apps.get_model(model_label)
            schema_editor.add_index(model, search_index(kind_key, name))

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            model = apps.get_model(model_label)
            schema_editor.remove_index(model, search_index(kind_key, name))

    return migrations.RunPython(forwards, backwards, elidable=False)


def clean_query(text):
    """Cut a query to a sane length and drop control characters."""
    text = re.sub(r"[\x00-\x1f\x7f]+", " ", text or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def terms(query):
    return re.findall(r"\w+", query.lower())[:MAX_TERMS]


def _sqlite_match(kind, words):
    names = [name for group in kind.fields for name in group]
    match = reduce(
        and_,
        (
            reduce(or_, (Q(**{f"{name}__icontains": word}) for name in names))
            for word in words
        ),
    )
    score = reduce(
        add,
        (
            Case(
                When(
                    reduce(or_, (Q(**{f"{name}__icontains": word}) for name in group)),
                    then=Value(weight),
                ),
                default=Value(0.0),
                output_field=models.FloatField(),
            )
            for word in words
            for group, weight in zip(kind.fields, SQLITE_SCORES, strict=False)
        ),
    )
    return match, score


def _kind_sql(kind, query, words, theme_id, now):
    """A kind's matches as SQL: the ORM writes what varies, the rest is compiled."""
    columns, document = _compiled(kind.key, connection.vendor)
    rows = kind.public_queryset(now).order_by()
    if theme_id is not None:
        rows = rows.filter(**{kind.themes: theme_id})
    if connection.vendor == "postgresql":
        query_params = (*document.params, CONFIG, query)
        match = f"{document.sql} @@ {TSQUERY}"
        # The ORM's compiled document and a constant; the words are parameters.
        rows = rows.filter(RawSQL(match, query_params, models.BooleanField()))  # noqa: S611
        rank = RawSQL(f"ts_rank({document.sql}, {TSQUERY})", query_params)  # noqa: S611
    else:
        match, rank = _sqlite_match(kind, words)
        rows = rows.filter(match)
    rank = Cast(rank, models.FloatField())
    sql, params = rows.values(r_rank=rank).query.sql_with_params()
    select = "SELECT "
    if not sql.startswith(select):
        raise ValueError(f"Unexpected SQL for {kind.key} search: {sql[:40]}")
    columns_sql, columns_params = columns
    return f"{select}{columns_sql}, {sql[len(select) :]}", (*columns_params, *params)


def search(query, *, kind=None, theme=None):
    """Every public match of `query`, ranked best first, as `Matches`.

    Rows are dicts (`r_kind`, `r_title`, `r_slug`, ...); `results()` turns a
    page of them into `Result`s. Filter by a kind's key and by a ResearchTheme.
    """
    words = terms(query)
    kinds = [k for k in KINDS if kind in (None, k.key)]
    if theme is not None:
        kinds = [k for k in kinds if k.themes]
    if not words or not kinds:
        return Matches(None)
    keys = "/".join(kind.key for kind in kinds)
    now = timezone.now()
    if connection.vendor != "postgresql":  # SQLite's match depends on the words
        return Matches(*_matches_sql(keys, query, words, theme and theme.pk, now))
    if theme is None:
        return Matches(*_compiled_matches(Fixed(keys), query, now))
    return Matches(*_compiled_theme_matches(Fixed(keys), query, theme.pk, now))


def _matches_sql(keys, query, words, theme_id, now):
    """The SQL of every match of these kinds (keys joined by "/"), and its params."""
    kinds = [kind for kind in KINDS if kind.key in keys.split("/")]
    parts = [_kind_sql(kind, query, words, theme_id, now) for kind in kinds]
    sql = " UNION ALL ".join(sql for sql, _ in parts)
    return sql, tuple(param for _, params in parts for param in params)


# On PostgreSQL the words reach the SQL only inside the query: the SQL is built
# once per process for each set of kinds (see heseltine.db).


@compiled_sql
def _compiled_matches(keys, query, now):
    return _matches_sql(keys, query, None, None, now)


@compiled_sql
def _compiled_theme_matches(keys, query, theme_id, now):
    return _matches_sql(keys, query, None, theme_id, now)


class Matches:
    """Ranked search rows that a Paginator can page through.

    A slice is one query that also counts every match (a window over the
    union), so a page of results and its total cost one query, not two; and
    a slice past the end gets the last page instead, as Paginator.get_page
    would show, rather than a second ranking of every match.
    """

    def __init__(self, sql, params=()):
        self.sql, self.params = sql, params
        self.total = None
        self.fetched = (None, [])  # (offset, rows) of the last slice

    def page(self, number, per_page):
        """Paginator.get_page(number), in one query."""
        try:
            guess = max(int(number), 1)
        except (TypeError, ValueError):
            guess = 1
        self[(guess - 1) * per_page : guess * per_page]
        return Paginator(self, per_page).get_page(number)

    def count(self):
        if self.total is None:
            self[0:0]
        return self.total

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step:
            raise TypeError("Matches are read a page (a plain slice) at a time.")
        start, stop = index.start or 0, index.stop
        offset, rows = self.fetched
        held = offset == start and (
            stop - start <= len(rows) or offset + len(rows) == self.total
        )
        if not held:
            self.fetched = offset, rows = self._fetch(start, stop - start)
        return rows[: stop - start] if offset == start else []

    def _fetch(self, offset, limit):
        """(offset, rows) from offset, or of the last page if past the end."""
        if self.sql is None:
            self.total = 0
            return 0, []
        quote = connection.ops.quote_name
        columns = ", ".join(map(quote, COLUMNS))
        order = f"{quote('r_rank')} DESC, {quote('r_title')}, {quote('r_kind')}, "
        order += quote("r_id")
        # Quoted names and the ORM's compiled SQL; the values are parameters.
        sql = (
            f"SELECT {columns}, total, n FROM (SELECT {columns}, "  # noqa: S608
            f"COUNT(*) OVER () AS total, ROW_NUMBER() OVER (ORDER BY {order}) AS n "
            f"FROM ({self.sql}) matches) ranked "
            "WHERE (n > %s AND n <= %s) OR (total <= %s AND n > (total - 1) / %s * %s) "
            "ORDER BY n"
        )
        size = max(limit, 1)  # at least one row, as the count rides on the rows
        params = (*self.params, offset, offset + size, offset, size, size)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
        self.total = found[0][-2] if found else 0
        if not found:
            return 0, []
        return found[0][-1] - 1, [_row(values) for values in found[:limit]]


_DATE = Value(None, output_field=models.DateTimeField())


def _row(values):
    row = dict(zip(COLUMNS, values, strict=False))
    # What the ORM would do: SQLite returns dates as text.
    for converter in connection.ops.get_db_converters(_DATE):
        row["r_date"] = converter(row["r_date"], _DATE, connection)
    return row


@dataclass(frozen=True)
class Result:
    kind: str
    label: str
    title: str
    url: str
    snippet: str
    date_iso: str = ""  # for <time datetime>, in local time like |date:"c"
    date_text: str = ""  # like |date:"j F Y"


def _dates(date):
    """A date as the template shows it, without two date filters per result."""
    if date is None:
        return {}
    text, iso = uk_date(date)
    return {"date_iso": iso, "date_text": text}


def results(rows, query):
    """Turn a page of `search()` rows into Results with highlighted snippets."""
    kinds = {kind.key: kind for kind in KINDS}
    pattern = highlight_pattern(query)
    found = []
    for row in rows:
        kind = kinds[row["r_kind"]]
        found.append(
            Result(
                kind=kind.key,
                label=kind.label,
                title=row["r_title"],
                url=url_for_slug(kind.url_name, row["r_slug"]),
                snippet=snippet(
                    # Summaries are plain text; bodies are (sanitised) HTML.
                    f"{row['r_summary'] or ''} "
                    + html.unescape(TAG.sub("", row["r_body"] or "")),
                    pattern,
                ),
                **_dates(row["r_date"]),
            )
        )
    return found


def _stem(word):
    for suffix in ("ies", "ing", "es", "ed", "s", "y"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def highlight_pattern(query):
    stems = sorted({_stem(word) for word in terms(query)}, key=len, reverse=True)
    if not stems:
        return None
    return re.compile(
        r"\b(?:" + "|".join(re.escape(stem) for stem in stems) + r")\w*", re.I
    )


def snippet(text, pattern, width=220):
    """Plain text around the first match, escaped, with matches in <mark>."""
    text = " ".join(text.split())
    start = 0
    first = pattern.search(text) if pattern else None
    if first and first.start() > width // 3:
        start = text.rfind(" ", 0, first.start() - width // 3) + 1
    excerpt = text[start : start + width]
    if start + width < len(text):
        excerpt = excerpt[: excerpt.rfind(" ")] + " …"
    if start:
        excerpt = "… " + excerpt
    if pattern is None:
        return escape(excerpt)
    pieces, last = [], 0
    for match in pattern.finditer(excerpt):
        pieces.append(escape(excerpt[last : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    pieces.append(escape(excerpt[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 (every piece escaped above)
