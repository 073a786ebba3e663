import calendar
import hashlib
from http import HTTPStatus

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.generic import DetailView, ListView

from blog import previews
from blog.cards import CARD_FIELDS, kept_relations, post_cards, post_link
from blog.models import Post, PostRedirect, public_tags
from heseltine.cache import cached_by_content, never_cache_page
from heseltine.links import url_for, url_for_slug
from institute.models import Person
from institute.views import public_theme
from work.views import post_work

RELATED_POSTS = 3


class PostListView(ListView):
    """Public posts, newest first; archives narrow this down in get_queryset()."""

    paginate_by = 12
    template_name = "blog/post_list.html"
    heading = "Blog"
    intro = (
        "Policymakers, practitioners and academics share ideas and evidence on "
        "the future of cities and city regions."
    )

    def get_queryset(self):
        return Post.objects.public().values(*CARD_FIELDS)

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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {
            **context,
            "posts": post_cards(context["object_list"]),
            "heading": self.heading,
            "intro": self.intro,
            "feeds": self.get_feeds(),
            "is_archive": type(self) is not PostListView,
            "archive": cached_by_content("blog-archive", public_archive),
            "archive_year": self.kwargs.get("year"),
        }

    def get_feeds(self):
        return blog_feeds()


def public_archive():
    """[(year, year url, [(month url, month name)])] of the public posts, newest first.

    Lists link to the years; a year's archive also lists its months.
    """
    archive = []
    for month in Post.objects.public().dates("published_at", "month", "DESC"):
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
        "rss": url_for("blog:feed_rss"),
        "atom": url_for("blog:feed_atom"),
        "title": "Heseltine Institute blog",
    }


def public_tag(slug):
    """The public tag with this slug, kept until the content changes; else a 404.

    Nothing is kept for a slug that is no tag's: a 404 is raised, not stored.
    """
    # Hashed: the URL may hold any text, which is not always a valid cache key.
    key = hashlib.sha256(slug.encode()).hexdigest()
    return cached_by_content(
        f"public-tag:{key}", lambda: get_object_or_404(public_tags(), slug=slug)
    )


class TagArchiveView(PostListView):
    def get_queryset(self):
        self.tag = public_tag(self.kwargs["slug"])
        self.heading = f"Posts tagged “{self.tag.name}”"
        self.intro = ""
        return super().get_queryset().tagged(self.tag)


class ThemeArchiveView(PostListView):
    def get_queryset(self):
        self.theme = public_theme(self.kwargs["slug"])
        self.heading = f"Posts on {self.theme.title}"
        self.intro = self.theme.summary
        return super().get_queryset().for_theme(self.theme)

    def get_feeds(self):
        slug = self.theme.slug
        return {
            "rss": url_for_slug("blog:theme_feed_rss", slug),
            "atom": url_for_slug("blog:theme_feed_atom", slug),
            "title": f"Heseltine Institute blog: {self.theme.title}",
        }


class AuthorArchiveView(PostListView):
    def get_queryset(self):
        self.person = get_object_or_404(
            Person.objects.public(), slug=self.kwargs["slug"]
        )
        self.heading = f"Posts by {self.person}"
        self.intro = ""
        return super().get_queryset().by_author(self.person)


class YearArchiveView(PostListView):
    allow_empty = False

    def get_queryset(self):
        year = self.kwargs["year"]
        self.heading = f"Posts from {year}"
        self.intro = ""
        return super().get_queryset().filter(published_at__year=year)


class MonthArchiveView(PostListView):
    allow_empty = False

    def get_queryset(self):
        year, month = self.kwargs["year"], self.kwargs["month"]
        if not 1 <= month <= 12:
            raise Http404("No such month.")
        self.heading = f"Posts from {calendar.month_name[month]} {year}"
        self.intro = ""
        posts = super().get_queryset()
        return posts.filter(published_at__year=year, published_at__month=month)


class PostDetailView(DetailView):
    """A published post; its editors and authors also see it before, as a preview."""

    template_name = "blog/post_detail.html"
    context_object_name = "post"
    is_token_preview = False

    def get_queryset(self):
        # The search document is for search alone: a post page never shows it.
        posts = Post.objects.defer("search_document")
        return posts.visible_to(self.request.user)

    def get(self, request, *args, **kwargs):
        try:
            response = super().get(request, *args, **kwargs)
        except Http404:
            moved = (
                PostRedirect.objects.filter(
                    old_slug=kwargs["slug"],
                    post__in=Post.objects.public(),
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
        kwargs.setdefault("share_link", None)
        post = self.object
        relations = kept_relations([post.pk])[post.pk]
        return super().get_context_data(
            relations=relations,
            related_posts=self.related_posts(post, relations),
            is_preview=not post.is_published,
            is_token_preview=self.is_token_preview,
            structured_data=self.structured_data(post, relations),
            feeds=blog_feeds(),
            # Its publications and projects (the work app's), kept like relations.
            work=cached_by_content(f"post-work:{post.pk}", lambda: post_work(post.pk)),
            **kwargs,
        )

    @staticmethod
    def related_posts(post, relations):
        """The newest few public posts sharing a theme or a tag with `post`.

        Kept until the content changes, like the page cache.
        """
        theme_ids = [theme["pk"] for theme in relations["themes"]]
        tag_ids = [tag["pk"] for tag in relations["tags"]]
        if not theme_ids and not tag_ids:
            return []

        def related():
            posts = (
                Post.objects.public()
                .sharing(theme_ids=theme_ids, tag_ids=tag_ids)
                .exclude(pk=post.pk)
            )
            return [
                post_link(row) for row in posts.values(*CARD_FIELDS)[:RELATED_POSTS]
            ]

        return cached_by_content(f"related-posts:{post.pk}", related)

    def structured_data(self, post, relations):
        data = {
            "@context": "https://schema.org",
            "@type": "BlogPosting",
            "headline": post.title,
            "description": post.standfirst,
            "url": settings.SITE_URL + post.get_absolute_url(),
            "dateModified": post.updated_at.isoformat(),
            "author": [
                {
                    "@type": "Organization" if author["is_organisation"] else "Person",
                    "name": author["name"],
                }
                for author in relations["authors"]
            ],
            "publisher": {"@type": "Organization", "name": "Heseltine Institute"},
        }
        if post.published_at:
            published = post.published_at
            if post.is_date_only:  # the day alone: no time is known
                published = timezone.localtime(published).date()
            data["datePublished"] = published.isoformat()
        if post.featured_image:
            data["image"] = settings.SITE_URL + post.featured_image.url
        return data


class PostPreviewView(PostDetailView):
    """A post shown to a reviewer through a link (blog.previews): read-only,
    never indexed nor cached; the post as it is now, for the link's lifetime.
    """

    is_token_preview = True

    def get(self, request, *args, **kwargs):
        link = previews.link_for(kwargs["token"])
        if link is None:
            return self.gone(
                HTTPStatus.NOT_FOUND,
                "This preview link does not exist",
                "Check that the whole address was copied: these links are long.",
            )
        if not link.works or previews.maker_left(link):
            until = date_format(timezone.localtime(link.expires_at), "j F Y, H:i")
            if link.is_revoked:
                explanation = "This link has been revoked: it no longer shows the post."
            elif link.is_expired:
                explanation = (
                    f"This link worked until {until} (UK time), and has expired."
                )
            else:
                explanation = "The account that made this link is closed."
            return self.gone(
                HTTPStatus.GONE, "This preview link no longer works", explanation
            )
        self.object = link.post
        self.share_link = link
        if self.object.is_published:
            # Public now: the reviewer reads it where everyone does.
            return never_cache_page(redirect(self.object))
        response = self.render_to_response(self.get_context_data(object=self.object))
        response["X-Robots-Tag"] = "noindex, nofollow"
        return never_cache_page(response)

    def get_context_data(self, **kwargs):
        return super().get_context_data(share_link=self.share_link, **kwargs)

    def gone(self, status, heading, explanation):
        response = TemplateResponse(
            self.request,
            "blog/preview_gone.html",
            {"heading": heading, "explanation": explanation},
            status=status,
        )
        response["X-Robots-Tag"] = "noindex, nofollow"
        return never_cache_page(response)
