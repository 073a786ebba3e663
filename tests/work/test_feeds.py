"""The publications feeds: the newest public publications, on SITE_URL."""

from http import HTTPStatus

import feedparser
import pytest
from django.conf import settings

from tests.work.conftest import PublicationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_a_feed_lists_public_publications_only(client, kind):
    publication = PublicationFactory(published=True, title="A public report")
    PublicationFactory(title="A draft report")

    response = client.get(f"/publications/feed/{kind}/")
    feed = feedparser.parse(response.content)

    assert response.status_code == HTTPStatus.OK
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == ["A public report"]
    assert feed.entries[0].link == settings.SITE_URL + publication.get_absolute_url()


def test_the_publications_page_links_its_feeds(client):
    page = client.get("/publications/").content.decode()
    assert 'type="application/rss+xml"' in page
    assert 'href="/publications/feed/atom/"' in page
