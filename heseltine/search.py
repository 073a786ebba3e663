"""Site-wide search over everything the public may see, in one ranked list.

On PostgreSQL each kind of content is matched with Django's full-text search
(`SearchQuery`, English stemming, weights title > standfirst > body, ranked
with `SearchRank`) against a document a GIN index covers: posts, themes,
pages and the programme keep theirs in a column (`Kind.document`) that a
database trigger fills; people, partnerships, projects, publications and
events are matched against `search_vector()`, the expression their GIN index
is built on. Some documents take in words from related rows (`Kind.related`):
a post's tags, a theme's current work, a programme's phases. On SQLite a
simpler case-insensitive match with a weighted score gives the same results.
Each kind starts from its public queryset, so nothing unpublished is found;
the kinds' matches are one UNION ALL, ranked and paginated by the database.
Each kind is a part of that query, costly to build however few its rows, so
the kinds' counts come first (`counts()`, one query) and the kinds with no
match are left out of it. `found()` gives the counts and the first results,
which the search page keeps by content stamp, as the lists keep theirs.
"""

import html
import re
from dataclasses import dataclass
from functools import cache, reduce
from operator import add, and_, or_

from django.apps import apps
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, models
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, Concat

from heseltine.links import url_for, url_for_slug

CONFIG = "english"
MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
# Results kept with a search's counts: its first ten pages, which is as far
# as visitors go; later pages are read from the database.
KEPT = 100
WEIGHTS = "ABC"
SQLITE_SCORES = (1.0, 0.4, 0.1)  # ts_rank's default weights for A, B, C
# Bodies are sanitised on save and snippets are escaped, so a regular
# expression can drop tags, more cheaply than strip_tags's HTML parser.
TAG = re.compile(r"<[^>]*>")
# Typed, so that a union may start with an undated kind (PostgreSQL would take
# its untyped NULLs for text, which the dates of the kinds after it are not).
NO_DATE = Cast(Value(None), models.DateTimeField())


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    model_label: str
    fields: tuple  # field names weighted A, B and C
    summary: str
    body: str
    url_name: str
    date: str | None = None
    themes: str | None = None  # lookup from the row to its research themes
    # A stored copy of search_vector(kind), kept by a PostgreSQL trigger, to
    # match and rank by: ts_rank need not rebuild it for every matching row.
    document: str | None = None
    # The QuerySet method giving what the public may find.
    public: str = "public"
    # Names in `fields` that are not columns but words of related rows:
    # ((name, function returning its expression), ...), see related_words().
    related: tuple = ()
    # False for a kind whose page has no slug in its address.
    has_slug: bool = True

    @property
    def model(self):
        return apps.get_model(self.model_label)

    def public_queryset(self):
        return getattr(self.model.objects, self.public)()

    def with_related(self, rows):
        """`rows` annotated with the related words its fields name."""
        return rows.annotate(**{name: words() for name, words in self.related})

    def url(self, slug):
        if self.has_slug:
            return url_for_slug(self.url_name, slug)
        return url_for(self.url_name)


class Words(models.Aggregate):
    """The texts of a group of rows as one, separated by spaces.

    Ordered on PostgreSQL, as the documents' triggers write them, so that a
    stored document and search_vector()'s are the same.
    """

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, ' ')"
    output_field = models.TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(%(expressions)s, ' ' ORDER BY %(expressions)s)",
            **extra_context,
        )
        return sql, (*params, *params)  # the expression is written twice


def related_words(model_label, outer, text, **lookups):
    """The words of `model_label` rows whose `outer` is the outer row's pk."""
    rows = apps.get_model(model_label).objects.filter(
        **{outer: OuterRef("pk")}, **lookups
    )
    words = rows.order_by().values(outer).annotate(words=Words(text))
    return Subquery(words.values("words")[:1], output_field=models.TextField())


def post_tag_words():
    """A post's tags, as one text: "devolution planning"."""
    return related_words(
        "taggit.TaggedItem",
        "object_id",
        "tag__name",
        content_type__app_label="blog",
        content_type__model="post",
    )


def theme_focus_words():
    """A theme's current work (its focus areas), as one text."""
    return related_words("institute.FocusArea", "theme", "title")


def programme_phase_words():
    """A programme's phases, names and purposes, as one text."""
    return related_words(
        "partnerships.Phase",
        "programme",
        Concat("name", Value(" "), "purpose", output_field=models.TextField()),
    )


KINDS = (
    Kind(
        key="post",
        label="Blog post",
        model_label="blog.Post",
        fields=(("title",), ("standfirst", "tag_words"), ("body",)),
        related=(("tag_words", post_tag_words),),
        summary="standfirst",
        body="body",
        url_name="blog:post_detail",
        date="published_at",
        themes="themes",
        # A trigger (blog migration 0005) writes search_vector() of these fields:
        # change the two together.
        document="search_document",
    ),
    Kind(
        key="theme",
        label="Research theme",
        model_label="institute.ResearchTheme",
        fields=(("title",), ("question", "summary", "focus_words"), ("body",)),
        related=(("focus_words", theme_focus_words),),
        summary="summary",
        body="body",
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
        url_name="institute:person_detail",
        # Not the organisations some bylines name: they are no person.
        public="people",
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
        url_name="institute:page_detail",
        date="updated_at",
        document="search_document",
    ),
    Kind(
        key="programme",
        label="Programme",
        model_label="partnerships.Programme",
        fields=(
            ("name", "short_name"),
            ("summary", "phase_words"),
            ("description",),
        ),
        related=(("phase_words", programme_phase_words),),
        summary="summary",
        body="description",
        # The programme's page is the partnerships page.
        url_name="partnerships:partnership_list",
        has_slug=False,
        # Kept by a trigger (partnerships migration 0005), as posts' is.
        document="search_document",
    ),
    # The institute's work (work migration 0002 indexes these expressions).
    Kind(
        key="project",
        label="Project",
        model_label="work.Project",
        fields=(("title",), ("summary",), ("body",)),
        summary="summary",
        body="body",
        url_name="work:project_detail",
        themes="themes",
    ),
    Kind(
        key="publication",
        label="Publication",
        model_label="work.Publication",
        fields=(("title",), ("summary",), ("credit",)),
        summary="summary",
        body="credit",
        url_name="work:publication_detail",
        themes="themes",
    ),
    Kind(
        key="event",
        label="Event",
        model_label="work.Event",
        fields=(("title",), ("summary", "venue"), ("body",)),
        summary="summary",
        body="body",
        url_name="work:event_detail",
        date="starts_at",
        themes="themes",
    ),
)
KIND_CHOICES = [(kind.key, kind.label) for kind in KINDS]


@cache  # an expression is a template: each query resolves its own copy
def search_vector(kind):
    """The weighted document of a kind: what its GIN index covers (or stores)."""
    return reduce(
        add,
        (
            SearchVector(*names, weight=weight, config=CONFIG)
            for weight, names in zip(WEIGHTS, kind.fields, strict=False)
        ),
    )


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


def _match(kind, query, words, theme):
    """A kind's public rows that match, and the expression that ranks them."""
    rows = kind.public_queryset().order_by()
    if kind.related and not (kind.document and connection.vendor == "postgresql"):
        # A stored document holds these words already; elsewhere they are read.
        rows = kind.with_related(rows)
    if theme is not None:
        rows = rows.filter(**{kind.themes: theme.pk})
    if connection.vendor == "postgresql":
        search_query = SearchQuery(query, config=CONFIG, search_type="websearch")
        # The stored document, or the very expression the kind's GIN index
        # covers, so that the index answers.
        document = F(kind.document) if kind.document else search_vector(kind)
        rows = rows.annotate(document=document).filter(document=search_query)
        rank = SearchRank(F("document"), search_query)
    else:
        match, rank = _sqlite_match(kind, words)
        rows = rows.filter(match)
    return rows, rank


def _matches(kind, query, words, theme):
    """A kind's public matches as rows named alike, so the kinds can be united."""
    rows, rank = _match(kind, query, words, theme)
    return rows.values(
        r_kind=Value(kind.key),
        r_id=F("pk"),
        r_title=F(kind.fields[0][0]),
        r_slug=F("slug"),
        r_summary=F(kind.summary),
        r_body=F(kind.body),
        r_date=F(kind.date) if kind.date else NO_DATE,
        r_rank=rank,
    )


def _kinds(query, kind, theme):
    kinds = [k for k in KINDS if kind in (None, k.key)]
    if theme is not None:
        kinds = [k for k in kinds if k.themes]
    return kinds if terms(query) else []


def counts(query, *, kind=None, theme=None):
    """How many public matches of `query` each kind has, in one query.

    {key: count}, with a key for every kind searched; `search(among=...)`
    can then leave out the kinds with none.
    """
    kinds = _kinds(query, kind, theme)
    if not kinds:
        return {}
    words = terms(query)
    first, *others = (
        _match(k, query, words, theme)[0]
        .values(r_kind=Value(k.key))
        .annotate(r_count=Count("pk"))
        for k in kinds
    )
    found = dict.fromkeys((k.key for k in kinds), 0)
    rows = first.union(*others, all=True) if others else first
    found.update(rows.values_list("r_kind", "r_count"))
    return found


def search(query, *, kind=None, theme=None, among=None):
    """Every public match of `query`, ranked best first, as a QuerySet of dicts.

    Rows are dicts (`r_kind`, `r_title`, `r_slug`, ...); `results()` turns a
    page of them into `Result`s. Filter by a kind's key and by a ResearchTheme.
    `among`, the keys of the kinds known to match (from `counts()`), spares
    the query the others: each kind is a part of it, however few its rows.
    """
    words = terms(query)
    kinds = [k for k in _kinds(query, kind, theme) if among is None or k.key in among]
    if not kinds:
        return KINDS[0].model.objects.none()
    first, *others = (_matches(k, query, words, theme) for k in kinds)
    matches = first.union(*others, all=True) if others else first
    return matches.order_by("-r_rank", "r_title", "r_kind", "r_id")


def found(query, *, kind=None, theme=None):
    """Each kind's count of public matches of `query`, and the first Results.

    ({key: count}, [Result, ...]): two queries, one when nothing matches.
    """
    count = counts(query, kind=kind, theme=theme)
    among = {key for key, n in count.items() if n}
    first = search(query, kind=kind, theme=theme, among=among)[:KEPT]
    return count, results(first, query)


@dataclass(frozen=True)
class Result:
    kind: str
    label: str
    title: str
    url: str
    snippet: list  # [(text, whether it matches the query)]
    date: object = None  # a datetime, or None


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
                url=kind.url(row["r_slug"]),
                snippet=snippet(
                    # Summaries are plain text; bodies are (sanitised) HTML.
                    f"{row['r_summary'] or ''} "
                    + html.unescape(TAG.sub("", row["r_body"] or "")),
                    pattern,
                ),
                date=row["r_date"],
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
    """Plain text around the first match, as [(text, whether it matches)].

    The template marks the matches; [] when there is no text.
    """
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
    if not excerpt:
        return []
    pieces, last = [], 0
    for match in pattern.finditer(excerpt) if pattern else ():
        pieces += [(excerpt[last : match.start()], False), (match.group(), True)]
        last = match.end()
    return [*pieces, (excerpt[last:], False)]
