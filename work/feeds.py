"""RSS and Atom feeds of new publications; events have their calendar feed."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse

from heseltine.feeds import SafeAtomFeed, SafeRssFeed
from heseltine.links import url_for_slug
from work.models import Publication

FEED_SIZE = 20


class PublicationFeed(Feed):
    """The newest publications, by when they went on the site; links on SITE_URL."""

    title = "Heseltine Institute publications"
    description = "Reports, policy briefings and papers from the Heseltine Institute."
    feed_type = SafeRssFeed
    url_name = "work:publication_feed_rss"

    def link(self):
        return settings.SITE_URL + reverse("work:publication_list")

    def feed_url(self):
        return settings.SITE_URL + reverse(self.url_name)

    def items(self):
        return list(
            Publication.objects.public()
            .order_by("-published_at", "-pk")
            .values("title", "slug", "summary", "published_at", "updated_at")[
                :FEED_SIZE
            ]
        )

    def item_title(self, item):
        return item["title"]

    def item_link(self, item):
        return settings.SITE_URL + url_for_slug("work:publication_detail", item["slug"])

    def item_description(self, item):
        return item["summary"]

    def item_pubdate(self, item):
        return item["published_at"]

    def item_updateddate(self, item):
        return item["updated_at"]


class AtomPublicationFeed(PublicationFeed):
    feed_type = SafeAtomFeed
    url_name = "work:publication_feed_atom"
    subtitle = PublicationFeed.description
