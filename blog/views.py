import calendar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.generic import DetailView, ListView
from taggit.models import Tag, TaggedItem

from blog import previews
from blog.cards import CARD_FIELDS, cards_from_rows, post_link, post_relations
from blog.models import Post, PostRedirect
from heseltine.cache import cached_by_content, never_cache_page
from heseltine.db import Fixed, compiled, first_or_404
from institute.models import Person, ResearchTheme
from institute.views import active_theme_by_slug, person_by_slug

RELATED_POSTS = 3


class PostListView(ListView):
    """Published posts, newest first; archives narrow this down."""

    paginate_by = 12
    template_name = "blog/post_list.html"
    context_object_name = "posts"
    heading = "Blog"
    intro = (
        "Policymakers, practitioners and academics share ideas and evidence on "
        "the future of cities and city regions."
    )

    def get_queryset(self):
        """The posts as the paginator sees them (see Pages).

        An archive first looks up what it is of, or answers 404.
        """
        self.describe()
        return Pages(lambda: self.filter_posts(Post.objects.published()))

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        # Counting thousands of posts costs more than the rest of the page; the
        # count changes only with the content, like the page cache.
        listing = ":".join(
            [self.request.resolver_match.view_name]
            + [f"{name}={value}" for name, value in sorted(self.kwargs.items())]
        )
        paginator.count = cached_by_content(f"post-count:{listing}", queryset.count)
        return paginator

    def paginate_queryset(self, queryset, page_size):
        paginator, page, posts, is_paginated = super().paginate_queryset(
            queryset, page_size
        )
        rows = self.page_rows(page.object_list, timezone.now())
        page.object_list = cards_from_rows(rows)
        return paginator, page, page.object_list, is_paginated

    def describe(self):
        """Set heading and intro; an archive looks up its subject first."""

    def filter_posts(self, posts):
        return posts

    def page_rows(self, bounds, now):
        """values(*CARD_FIELDS) rows of the page the paginator chose (`bounds`).

        Lists most visited use a query compiled once (see heseltine.db).
        """
        return blog_page(now, *fixed(bounds))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.heading,
            intro=self.intro,
            feeds=self.get_feeds(),
            is_archive=type(self) is not PostListView,
            archive=cached_by_content("blog-archive", published_archive),
            archive_year=self.kwargs.get("year"),
            **kwargs,
        )

    def get_feeds(self):
        return blog_feeds()


def published_archive():
    """[(year, year url, [(month url, month name)])] of the public posts, newest first.

    Lists link to the years; a year's archive also lists its months.
    """
    archive = []
    for month in Post.objects.published().dates("published_at", "month", "DESC"):
        if not archive or archive[-1][0] != month.year:
            url = reverse("blog:year_archive", kwargs={"year": month.year})
            archive.append((month.year, url, []))
        url = reverse(
            "blog:month_archive", kwargs={"year": month.year, "month": month.month}
        )
        archive[-1][2].append((url, date_format(month, "F")))
    return archive


def blog_feeds():
    return {
        "rss": reverse("blog:feed_rss"),
        "atom": reverse("blog:feed_atom"),
        "title": "Heseltine Institute blog",
    }


class Pages:
    """A list of posts as the paginator sees it, its QuerySet built only to count.

    Slicing gives the bounds of a page, which a compiled query fetches. The
    count is kept until content changes (PostListView.get_paginator), so on
    most requests the ORM builds nothing.
    """

    def __init__(self, queryset):
        self.queryset = queryset  # a function that returns the QuerySet

    def count(self):
        return self.queryset().count()

    def __getitem__(self, bounds):
        return bounds


def fixed(bounds):
    return Fixed(bounds.start), Fixed(bounds.stop)


class TagArchiveView(PostListView):
    def describe(self):
        post_type_id = ContentType.objects.get_for_model(Post).pk
        tag = tag_by_slug(self.kwargs["slug"], post_type_id, timezone.now())
        self.tag = first_or_404(tag)
        self.heading = f"Posts tagged “{self.tag.name}”"
        self.intro = ""

    def filter_posts(self, posts):
        return posts.tagged(self.tag)

    def page_rows(self, bounds, now):
        post_type_id = ContentType.objects.get_for_model(Post).pk
        return tag_page(self.tag.pk, post_type_id, now, *fixed(bounds))


class ThemeArchiveView(PostListView):
    def describe(self):
        self.theme = first_or_404(active_theme_by_slug(self.kwargs["slug"]))
        self.heading = f"Posts on {self.theme.title}"
        self.intro = self.theme.summary

    def filter_posts(self, posts):
        return posts.for_theme(self.theme)

    def page_rows(self, bounds, now):
        return theme_page(self.theme.pk, now, *fixed(bounds))

    def get_feeds(self):
        slug = self.theme.slug
        return {
            "rss": reverse("blog:theme_feed_rss", kwargs={"slug": slug}),
            "atom": reverse("blog:theme_feed_atom", kwargs={"slug": slug}),
            "title": f"Heseltine Institute blog: {self.theme.title}",
        }


class AuthorArchiveView(PostListView):
    def describe(self):
        self.person = first_or_404(person_by_slug(self.kwargs["slug"]))
        self.heading = f"Posts by {self.person}"
        self.intro = ""

    def filter_posts(self, posts):
        return posts.by_author(self.person)

    def page_rows(self, bounds, now):
        return author_page(self.person.pk, now, *fixed(bounds))


class YearArchiveView(PostListView):
    """Seldom visited: the ORM's QuerySet, not compiled queries."""

    allow_empty = False

    def get_queryset(self):
        self.describe()
        return self.filter_posts(Post.objects.published())

    def describe(self):
        self.heading = f"Posts from {self.kwargs['year']}"
        self.intro = ""

    def filter_posts(self, posts):
        return posts.filter(published_at__year=self.kwargs["year"])

    def page_rows(self, posts, now):
        return posts.values(*CARD_FIELDS)


class MonthArchiveView(YearArchiveView):
    def describe(self):
        year, month = self.kwargs["year"], self.kwargs["month"]
        if not 1 <= month <= 12:
            raise Http404("No such month.")
        self.heading = f"Posts from {calendar.month_name[month]} {year}"
        self.intro = ""

    def filter_posts(self, posts):
        year, month = self.kwargs["year"], self.kwargs["month"]
        return posts.filter(published_at__year=year, published_at__month=month)


# The lists' pages and the lookups they need, compiled once (heseltine.db).
# A page's bounds are part of its SQL: each page number is a statement.


def page_of(posts, low, high):
    """values(*CARD_FIELDS) of posts[low:high], in order.

    The page's ids first, then their rows: deep in a list, the ids come from
    the listing index alone (Post.Meta), rather than the rows of every post
    before the page being read and passed over. For the blog list only: with
    an archive's filter, the plan PostgreSQL keeps for a prepared statement
    read the whole index instead (1.5 ms for a tag's first page).
    """
    ids = posts.values("pk")[low:high]
    return Post.objects.filter(pk__in=ids).values(*CARD_FIELDS)


@compiled
def blog_page(now, low, high):
    return page_of(Post.objects.published(at=now), low, high)


@compiled(prepare=False)  # the best plan depends on the tag
def tag_page(tag_id, post_type_id, now, low, high):
    posts = Post.objects.published(at=now).tagged(Tag(pk=tag_id), post_type_id)
    return posts.values(*CARD_FIELDS)[low:high]


@compiled(prepare=False)  # the best plan depends on the theme
def theme_page(theme_id, now, low, high):
    posts = Post.objects.published(at=now).for_theme(ResearchTheme(pk=theme_id))
    return posts.values(*CARD_FIELDS)[low:high]


@compiled
def author_page(person_id, now, low, high):
    posts = Post.objects.published(at=now).by_author(Person(pk=person_id))
    return posts.values(*CARD_FIELDS)[low:high]


@compiled
def tag_by_slug(slug, post_type_id, now):
    """The tag, if a published post has it: one only drafts use is not public."""
    taggings = TaggedItem.objects.filter(
        tag_id=OuterRef("pk"),
        content_type_id=post_type_id,
        object_id__in=Post.objects.published(at=now).values("pk"),
    )
    return Tag.objects.filter(Exists(taggings), slug=slug)[:1]


class PostDetailView(DetailView):
    """A published post; its editors and authors also see it before, as a preview."""

    template_name = "blog/post_detail.html"
    context_object_name = "post"
    is_token_preview = False

    def get_queryset(self):
        # The search document is for search alone: a post page never shows it.
        posts = Post.objects.defer("search_document")
        return posts.visible_to(self.request.user)

    def get_object(self, queryset=None):
        # Anyone who may preview nothing (the public) takes the compiled query.
        if queryset is None and not self.request.user.has_perm("blog.view_post"):
            found = published_post(self.kwargs["slug"], timezone.now())
            if not found:
                raise Http404("No published post has this address.")
            return found[0]
        return super().get_object(queryset)

    def get(self, request, *args, **kwargs):
        try:
            response = super().get(request, *args, **kwargs)
        except Http404:
            moved = (
                PostRedirect.objects.filter(
                    old_slug=kwargs["slug"],
                    post__in=Post.objects.published(),
                )
                .select_related("post")
                .only("post__slug")
                .first()
            )
            if moved is None:
                raise
            return redirect(moved.post, permanent=True)
        if not self.object.is_published:
            response["X-Robots-Tag"] = "noindex, nofollow"
            never_cache_page(response)
        return response

    def get_context_data(self, **kwargs):
        post = self.object
        relations = post_relations([post.pk])[post.pk]
        return super().get_context_data(
            relations=relations,
            related_posts=self.related_posts(post, relations),
            is_preview=not post.is_published,
            is_token_preview=self.is_token_preview,
            structured_data=self.structured_data(post, relations),
            feeds=blog_feeds(),
            **kwargs,
        )

    @staticmethod
    def related_posts(post, relations):
        theme_ids = tuple(theme["pk"] for theme in relations["themes"])
        tag_ids = tuple(tag["pk"] for tag in relations["tags"])
        if not theme_ids and not tag_ids:
            return []
        post_type_id = ContentType.objects.get_for_model(Post).pk
        related = related_posts(
            post.pk, theme_ids, tag_ids, post_type_id, timezone.now()
        )
        return [post_link(row) for row in related]

    def structured_data(self, post, relations):
        data = {
            "@context": "https://schema.org",
            "@type": "BlogPosting",
            "headline": post.title,
            "description": post.standfirst,
            "url": settings.SITE_URL + post.get_absolute_url(),
            "dateModified": post.updated_at.isoformat(),
            "author": [
                {"@type": "Person", "name": author["name"]}
                for author in relations["authors"]
            ],
            "publisher": {"@type": "Organization", "name": "Heseltine Institute"},
        }
        if post.published_at:
            data["datePublished"] = post.published_at.isoformat()
        if post.featured_image:
            data["image"] = settings.SITE_URL + post.featured_image.url
        return data


@compiled
def published_post(slug, now):
    posts = Post.objects.defer("search_document").published(at=now)
    return posts.filter(slug=slug)[:1]


@compiled
def related_posts(post_id, theme_ids, tag_ids, post_type_id, now):
    """The newest few published posts sharing a theme or a tag with a post."""
    related = (
        Post.objects.published(at=now)
        .sharing(theme_ids=theme_ids, tag_ids=tag_ids, post_type_id=post_type_id)
        .exclude(pk=post_id)
        .order_by("-published_at")
    )
    return related.values(*CARD_FIELDS)[:RELATED_POSTS]


class PostPreviewView(PostDetailView):
    """A draft shown to a reviewer through a signed link: read-only, never indexed."""

    is_token_preview = True

    def get_object(self, queryset=None):
        post = previews.post_from_token(self.kwargs["token"], Post.objects.all())
        if post is None:
            raise Http404("This preview link has expired or the post has changed.")
        return post

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        response = self.render_to_response(self.get_context_data(object=self.object))
        response["X-Robots-Tag"] = "noindex, nofollow"
        return never_cache_page(response)
