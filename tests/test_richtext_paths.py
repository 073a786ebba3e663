"""Rich text is sanitised on every path to the database, not only the admin's form.

`loaddata` saves raw (skipping `pre_save`); `update()`, `bulk_create()` and
`bulk_update()` never call `save()`. Each is driven as it is used: a fixture
file through the loaddata command, querysets as a script or migration would
use them. The page is then read as the public reads it.
"""

import json

import pytest
from django.core.management import call_command

from blog.models import Post
from heseltine.richtext import sanitise_html
from institute.models import Page
from tests.factories import PageFactory, PostFactory
from tests.institute.test_richtext import HOSTILE

pytestmark = pytest.mark.django_db
ATTACK = (
    '<p>Kept <strong>bold</strong></p><script>alert("fixture")</script>'
    '<img src="/media/x.png" alt="x" onerror="alert(2)">'
    '<a href="javascript:alert(3)">link</a>'
)


def assert_clean(html):
    assert "<p>Kept <strong>bold</strong></p>" in html
    for trace in ("<script", "alert", "onerror", "javascript:"):
        assert trace not in html, html


def assert_served_clean(client, page):
    response = client.get(page.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "Kept <strong>bold</strong>" in content
    assert "alert(" not in content


def test_loaddata_stores_sanitised_html(tmp_path, client):
    fixture = tmp_path / "pages.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "institute.page",
                    "pk": 900,
                    "fields": {
                        "title": "Loaded",
                        "slug": "loaded",
                        "standfirst": "From a fixture.",
                        "body": ATTACK,
                        "is_published": True,
                        "updated_at": "2024-07-18T09:00:00Z",
                    },
                }
            ]
        )
    )
    call_command("loaddata", str(fixture), verbosity=0)
    page = Page.objects.get(pk=900)
    assert_clean(page.body)
    assert_served_clean(client, page)


def test_queryset_update_stores_sanitised_html(client):
    page = PageFactory(published=True)
    assert Page.objects.filter(pk=page.pk).update(body=ATTACK) == 1
    page.refresh_from_db()
    assert_clean(page.body)
    assert_served_clean(client, page)


def test_bulk_create_and_bulk_update_store_sanitised_html():
    Page.objects.bulk_create(
        [Page(title="Bulk", slug="bulk", standfirst="Bulk.", body=ATTACK)]
    )
    assert_clean(Page.objects.get(slug="bulk").body)

    post = PostFactory()
    post.body = ATTACK
    Post.objects.bulk_update([post], ["body"])
    assert_clean(Post.objects.get(pk=post.pk).body)


def test_a_saved_instance_holds_what_was_stored():
    page = PageFactory(body=ATTACK)
    stored = Page.objects.values_list("body", flat=True).get(pk=page.pk)
    assert page.body == stored
    assert_clean(stored)


@pytest.mark.parametrize("html", HOSTILE.values(), ids=HOSTILE.keys())
def test_cleaning_twice_changes_nothing(html):
    once = sanitise_html(html)
    assert sanitise_html(once) == once
