"""Themes' and pages' stored search documents stay equal to search_vector().

On PostgreSQL a trigger (institute migration 0005) writes them on every insert
and update, however made; search matches and ranks by them. SQLite leaves
them NULL.
"""

import re

import pytest
from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast

from heseltine.search import KINDS, search, search_vector
from tests.factories import PageFactory, ResearchThemeFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a trigger"),
]
KIND = {kind.key: kind for kind in KINDS}
# kind: (factory, {source field: weight}, a field that is not a source)
CASES = {
    "theme": (
        ResearchThemeFactory,
        {"title": "A", "question": "B", "summary": "B", "body": "C"},
        ("is_retired", True),
    ),
    "page": (
        PageFactory,
        {"title": "A", "standfirst": "B", "body": "C"},
        ("is_published", True),
    ),
}
SOURCES = [(key, field) for key, (_, fields, _) in CASES.items() for field in fields]


def kept_and_computed(kind, row):
    computed = Cast(search_vector(kind), TextField())
    rows = kind.with_related(kind.model.objects.filter(pk=row.pk))
    rows = rows.annotate(computed=computed)
    return rows.values_list("search_document", "computed").get()


def has(document, word, weight):
    return re.search(rf"'{word}':[\d,A-D]*\d{weight}\b", document) is not None


@pytest.mark.parametrize("key", CASES)
def test_a_new_row_gets_search_vectors_document(key):
    factory, _, _ = CASES[key]
    kept, computed = kept_and_computed(KIND[key], factory())
    assert kept == computed
    assert kept


@pytest.mark.parametrize(("key", "field"), SOURCES)
def test_saving_a_change_to_any_source_field_rewrites_it(key, field):
    factory, weights, _ = CASES[key]
    row = factory()
    setattr(row, field, "Zeppelins")
    row.save()
    kept, computed = kept_and_computed(KIND[key], row)
    assert has(kept, "zeppelin", weights[field])
    assert kept == computed


@pytest.mark.parametrize("key", CASES)
def test_an_update_elsewhere_keeps_it_and_an_update_of_a_source_rewrites_it(key):
    factory, _, (other, value) = CASES[key]
    row = factory()
    before, _ = kept_and_computed(KIND[key], row)
    KIND[key].model.objects.filter(pk=row.pk).update(**{other: value})
    assert kept_and_computed(KIND[key], row)[0] == before
    KIND[key].model.objects.filter(pk=row.pk).update(title="Zeppelins")
    kept, computed = kept_and_computed(KIND[key], row)
    assert kept == computed
    assert has(kept, "zeppelin", "A")


def test_search_finds_themes_and_pages_by_their_stored_documents():
    ResearchThemeFactory(title="Zeppelin futures")
    PageFactory(title="Airships", is_published=True, body="<p>Zeppelins.</p>")
    matches = search("zeppelin")
    found = {row["r_title"] for row in matches}
    assert found == {"Zeppelin futures", "Airships"}
