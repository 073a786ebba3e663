from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse

from blog.models import Post, PostAuthor
from heseltine.cache import cached_by_content
from heseltine.feeds import SafeAtomFeed, SafeRssFeed
from heseltine.links import url_for, url_for_slug
from institute.views import public_theme

FEED_SIZE = 20
FEED_FIELDS = ("pk", "title", "slug", "standfirst", "published_at", "updated_at")


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
        # A WSGI server sends each piece of a response on its own: the writer
        # writes the feed in one (heseltine.feeds), after the empty one the
        # response starts with. Join them.
        response.content = response.content
        return response

    def link(self):
        return settings.SITE_URL + url_for("blog:post_list")

    def feed_url(self):
        return settings.SITE_URL + url_for(self.url_name)

    def posts(self, obj):
        return Post.objects.public()

    def items(self, obj=None):
        """The newest public posts as rows, each with its authors' names.

        The names are kept until the content changes, like the page cache.
        """
        rows = list(self.posts(obj).values(*FEED_FIELDS)[:FEED_SIZE])
        post_ids = [row["pk"] for row in rows]
        authors = cached_by_content(
            f"feed-authors:{','.join(map(str, post_ids))}",
            lambda: byline_names(post_ids),
        )
        for row in rows:
            row["authors"] = authors[row["pk"]]
        return rows

    def item_title(self, post):
        return post["title"]

    def item_link(self, post):
        return settings.SITE_URL + url_for_slug("blog:post_detail", post["slug"])

    def item_description(self, post):
        return post["standfirst"]

    def item_pubdate(self, post):
        return post["published_at"]

    def item_updateddate(self, post):
        return post["updated_at"]

    def item_author_name(self, post):
        return ", ".join(post["authors"])


def byline_names(post_ids):
    """{post id: [its authors' names, in byline order]} for these posts."""
    authors = {post_id: [] for post_id in post_ids}
    bylines = PostAuthor.objects.filter(post_id__in=post_ids).with_byline()
    for post_id, name in bylines.values_list("post_id", "byline_name"):
        authors[post_id].append(name)
    return authors


class AtomPostFeed(PostFeed):
    feed_type = SafeAtomFeed
    url_name = "blog:feed_atom"
    subtitle = PostFeed.description


class ThemePostFeed(PostFeed):
    url_name = "blog:theme_feed_rss"

    def get_object(self, request, slug):
        return public_theme(slug)

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

    def posts(self, theme):
        return Post.objects.public().for_theme(theme)


class AtomThemePostFeed(ThemePostFeed):
    feed_type = SafeAtomFeed
    url_name = "blog:theme_feed_atom"

    def subtitle(self, theme):
        return theme.summary
