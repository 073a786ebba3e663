from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from blog.models import Post, PostAuthor
from heseltine.links import url_for_slug
from institute.models import ResearchTheme

FEED_SIZE = 20


class PostFeed(Feed):
    title = "Heseltine Institute blog"
    description = (
        "Ideas and evidence on public policy for cities and city regions, from the "
        "Heseltine Institute at the University of Liverpool."
    )

    def link(self):
        return reverse("blog:post_list")

    def posts(self, obj):
        return Post.objects.published()

    def items(self, obj=None):
        return (
            self.posts(obj)
            .prefetch_related(
                Prefetch(
                    "post_authors",
                    queryset=PostAuthor.objects.select_related("person"),
                    to_attr="author_list",
                )
            )
            .only("title", "slug", "standfirst", "published_at", "updated_at")
            .order_by("-published_at")[:FEED_SIZE]
        )

    def item_title(self, post):
        return post.title

    def item_link(self, post):
        # Twenty reverse() calls cost more than the rest of an item.
        return url_for_slug("blog:post_detail", post.slug)

    def item_description(self, post):
        return post.standfirst

    def item_pubdate(self, post):
        return post.published_at

    def item_updateddate(self, post):
        return post.updated_at

    def item_author_name(self, post):
        return ", ".join(str(author.person) for author in post.author_list)


class AtomPostFeed(PostFeed):
    feed_type = Atom1Feed
    subtitle = PostFeed.description


class ThemePostFeed(PostFeed):
    def get_object(self, request, slug):
        return get_object_or_404(ResearchTheme.objects.active(), slug=slug)

    def title(self, theme):
        return f"Heseltine Institute blog: {theme.title}"

    def link(self, theme):
        return reverse("blog:theme_archive", kwargs={"slug": theme.slug})

    def description(self, theme):
        return theme.summary

    def posts(self, theme):
        return Post.objects.published().for_theme(theme)


class AtomThemePostFeed(ThemePostFeed):
    feed_type = Atom1Feed

    def subtitle(self, theme):
        return theme.summary
