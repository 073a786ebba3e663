"""Text pasted with invisible junk in it never takes a page down.

Word pastes a soft line break as U+000B; stray control characters (U+0001) and
non-characters (U+FFFE) come along from PDFs and email. XML 1.0 forbids them:
one in a published title made every feed answer 500, or write XML no reader
could parse. They are cleaned as text is saved, and again as feeds are written.
"""

import json
from http import HTTPStatus

import feedparser
import pytest
from django.core import serializers
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from blog.models import Post
from blog.roles import EDITORS
from institute.models import Person, ResearchTheme
from tests.blog.conftest import published_post
from tests.factories import ResearchThemeFactory, member

pytestmark = pytest.mark.django_db

SOFT_BREAK, CONTROL, NONCHARACTER = "\v", "\x01", "\ufffe"


@pytest.fixture
def theme():
    return ResearchThemeFactory(title="Regional inequalities")


@pytest.fixture
def post(theme):
    post = published_post(title="Plain title")
    post.themes.add(theme)
    return post


def every_feed(theme):
    return [
        reverse("blog:feed_rss"),
        reverse("blog:feed_atom"),
        reverse("blog:theme_feed_rss", kwargs={"slug": theme.slug}),
        reverse("blog:theme_feed_atom", kwargs={"slug": theme.slug}),
    ]


def read_feeds(client, theme):
    """Every feed's single entry, after checking it is well-formed XML."""
    entries = []
    for url in every_feed(theme):
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        feed = feedparser.parse(response.content)
        assert not feed.bozo, (url, feed.get("bozo_exception"))
        [entry] = feed.entries
        entries.append(entry)
    return entries


def test_a_post_saved_through_the_admin_stores_clean_text_and_every_feed_reads_it(
    django_app, client, post, theme
):
    editor = member(EDITORS, "edith")
    change = reverse("admin:blog_post_change", args=[post.pk])
    form = django_app.get(change, user=editor).forms["post_form"]
    form["title"] = f"Housing{SOFT_BREAK}for all{CONTROL}{NONCHARACTER}"
    form["standfirst"] = f"First line{SOFT_BREAK}second line{CONTROL}.{NONCHARACTER}"
    assert form.submit("_save", user=editor).status_code == HTTPStatus.FOUND

    post.refresh_from_db()
    # A title is one line: its soft break is a space. The standfirst keeps it
    # as the line break the editor meant.
    assert post.title == "Housing for all"
    assert post.standfirst == "First line\nsecond line."
    for entry in read_feeds(client, theme):
        assert entry.title == "Housing for all"
        assert entry.summary == "First line\nsecond line."


# U+000B and U+0001 made Django's writer raise (a 500); U+FFFE it wrote as it
# is, which no reader can parse.
@pytest.mark.parametrize("junk", [SOFT_BREAK, CONTROL, NONCHARACTER])
def test_feeds_stay_valid_with_junk_written_around_the_models(
    client, post, theme, junk
):
    author = post.post_authors.get().person
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE blog_post SET title = %s, standfirst = %s WHERE id = %s",
            [f"Housing {junk}for all", f"Why it {junk}matters", post.pk],
        )
        cursor.execute(
            "UPDATE institute_person SET name = %s WHERE id = %s",
            [f"Cleo {junk}Hachem", author.pk],
        )
        cursor.execute(
            "UPDATE institute_researchtheme SET title = %s, summary = %s WHERE id = %s",
            [f"Places {junk}and people", f"Summary {junk}text", theme.pk],
        )

    for entry in read_feeds(client, theme):
        assert entry.title.split() == ["Housing", "for", "all"]
        assert entry.summary.split() == ["Why", "it", "matters"]
        assert entry.author.split() == ["Cleo", "Hachem"]


@pytest.mark.parametrize(
    ("model", "field", "single_line"),
    [(Post, "title", True), (Post, "standfirst", False), (Person, "bio", False)],
)
def test_loaddata_stores_clean_text(tmp_path, post, model, field, single_line):
    obj = post if model is Post else post.post_authors.get().person
    [record] = json.loads(serializers.serialize("json", [obj]))
    record["fields"][field] = f"One{SOFT_BREAK}two{CONTROL}{NONCHARACTER}"
    fixture = tmp_path / "junk.json"
    fixture.write_text(json.dumps([record]))
    call_command("loaddata", fixture, verbosity=0)

    obj.refresh_from_db()
    assert getattr(obj, field) == ("One two" if single_line else "One\ntwo")


def test_text_saved_from_the_shell_is_clean(theme):
    theme.summary = f"Line{SOFT_BREAK}break{CONTROL}{NONCHARACTER}\U0010ffff"
    theme.question = f"Where?{SOFT_BREAK}Why?\r\nHow?"
    theme.save()

    theme = ResearchTheme.objects.get(pk=theme.pk)
    assert theme.summary == "Line\nbreak"
    assert theme.question == "Where? Why? How?"
