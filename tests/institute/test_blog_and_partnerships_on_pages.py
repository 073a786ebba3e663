"""The home, theme and person pages show the blog and the LPIP programme."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import (
    InstituteProfileFactory,
    PartnershipFactory,
    PersonFactory,
    PhaseFactory,
    PostAuthorFactory,
    PostFactory,
    ProgrammeFactory,
    ResearchThemeFactory,
)

pytestmark = pytest.mark.django_db


def post(title, days_ago=1, **kwargs):
    return PostFactory(
        title=title,
        published=True,
        published_at=timezone.now() - timedelta(days=days_ago),
        **kwargs,
    )


def test_the_home_page_shows_the_three_latest_posts_and_the_programme(client):
    InstituteProfileFactory()
    for n in range(5):
        post(f"Post number {n}", days_ago=n + 1)
    PostFactory(title="A draft")
    post("Scheduled", days_ago=-1)
    PhaseFactory(programme=ProgrammeFactory(name="Local Policy Innovation"))
    html = client.get("/").content.decode()
    shown = [n for n in range(5) if f"Post number {n}" in html]
    assert shown == [0, 1, 2]
    assert html.index("Post number 0") < html.index("Post number 1")
    assert "A draft" not in html
    assert "Scheduled" not in html
    assert "Local Policy Innovation" in html


def test_a_theme_page_shows_its_posts_and_partnerships_only(client):
    theme = ResearchThemeFactory(slug="cities")
    other = ResearchThemeFactory(slug="other")
    post("On this theme").themes.add(theme)
    post("On another theme").themes.add(other)
    draft = PostFactory(title="Draft on this theme")
    draft.themes.add(theme)
    PartnershipFactory(name="Themed partnership").themes.add(theme)
    PartnershipFactory(name="Unthemed partnership")
    html = client.get(theme.get_absolute_url()).content.decode()
    assert "On this theme" in html
    assert "On another theme" not in html
    assert "Draft on this theme" not in html
    assert "Themed partnership" in html
    assert "Unthemed partnership" not in html
    assert 'href="/blog/theme/cities/"' in html
    assert 'type="application/rss+xml"' in html


def test_a_person_page_shows_their_published_posts(client):
    person = PersonFactory(slug="joanna-hayes", name="Joanna Hayes")
    PostAuthorFactory(post=post("Joined up?"), person=person)
    PostAuthorFactory(post=PostFactory(title="Unfinished"), person=person)
    post("By someone else")
    html = client.get(person.get_absolute_url()).content.decode()
    assert "Joined up?" in html
    assert "Unfinished" not in html
    assert "By someone else" not in html
    assert 'href="/blog/author/joanna-hayes/"' in html
