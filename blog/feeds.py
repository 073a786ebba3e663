from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone

from blog.cards import post_relations
from blog.models import Post
from heseltine.db import compiled, first_or_404
from heseltine.feeds import SafeAtomFeed, SafeRssFeed
from heseltine.links import url_for_slug
from institute.models import ResearchTheme
from institute.views import active_theme_by_slug

FEED_SIZE = 20


class PostFeed(Feed):
    """The newest posts; every link in it is absolute, on `SITE_URL`.

    Django would prefix the request's Host, and a feed is cached for everyone.
    """

    title = "Heseltine Institute blog"
    description = (
        "Ideas and evidence on public policy for cities and city regions, from the "
        "Heseltine Institute at the University of Liverpool."
    )
    feed_type = SafeRssFeed
    url_name = "blog:feed_rss"  # the feed's own

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # The feed is written in hundreds of small pieces, and a WSGI server
        # sends each piece on its own: 1.5 ms more than one piece.
        response.content = response.content
        return response

    def link(self):
        return settings.SITE_URL + reverse("blog:post_list")

    def feed_url(self):
        return settings.SITE_URL + reverse(self.url_name)

    def rows(self, obj, now):
        return feed_rows(now)

    def items(self, obj=None):
        """The newest posts as rows, with their bylines from the cards' query."""
        rows = self.rows(obj, timezone.now())
        relations = post_relations([row["pk"] for row in rows])
        for row in rows:
            row["authors"] = relations[row["pk"]]["authors"]
        return rows

    def item_title(self, post):
        return post["title"]

    def item_link(self, post):
        # Twenty reverse() calls cost more than the rest of an item.
        return settings.SITE_URL + url_for_slug("blog:post_detail", post["slug"])

    def item_description(self, post):
        return post["standfirst"]

    def item_pubdate(self, post):
        return post["published_at"]

    def item_updateddate(self, post):
        return post["updated_at"]

    def item_author_name(self, post):
        return ", ".join(author["name"] for author in post["authors"])


class AtomPostFeed(PostFeed):
    feed_type = SafeAtomFeed
    url_name = "blog:feed_atom"
    subtitle = PostFeed.description


class ThemePostFeed(PostFeed):
    url_name = "blog:theme_feed_rss"

    def get_object(self, request, slug):
        return first_or_404(active_theme_by_slug(slug))

    def title(self, theme):
        return f"Heseltine Institute blog: {theme.title}"

    def link(self, theme):
        return settings.SITE_URL + reverse(
            "blog:theme_archive", kwargs={"slug": theme.slug}
        )

    def feed_url(self, theme):
        return settings.SITE_URL + reverse(self.url_name, kwargs={"slug": theme.slug})

    def description(self, theme):
        return theme.summary

    def rows(self, theme, now):
        return theme_feed_rows(theme.pk, now)


class AtomThemePostFeed(ThemePostFeed):
    feed_type = SafeAtomFeed
    url_name = "blog:theme_feed_atom"

    def subtitle(self, theme):
        return theme.summary


# Compiled once (see heseltine.db): feed readers ask often.
FEED_FIELDS = ("pk", "title", "slug", "standfirst", "published_at", "updated_at")


@compiled
def feed_rows(now):
    posts = Post.objects.published(at=now).order_by("-published_at")
    return posts.values(*FEED_FIELDS)[:FEED_SIZE]


@compiled(prepare=False)  # the best plan depends on the theme
def theme_feed_rows(theme_id, now):
    posts = Post.objects.published(at=now).for_theme(ResearchTheme(pk=theme_id))
    return posts.order_by("-published_at").values(*FEED_FIELDS)[:FEED_SIZE]
