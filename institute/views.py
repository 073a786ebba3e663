from django.apps import apps
from django.conf import settings
from django.db.models import Case, F, JSONField, Prefetch, When
from django.http import Http404
from django.templatetags.static import static
from django.views.generic import DetailView, ListView, TemplateView

from blog.cards import CARD_FIELDS, post_cards
from heseltine.cache import cached_by_content, never_cache_page
from heseltine.jinja2 import truncatechars
from heseltine.links import url_for_slug
from institute.models import (
    FocusArea,
    InstituteProfile,
    Objective,
    Page,
    Person,
    Pillar,
    ResearchArea,
    ResearchTheme,
    initials,
)

# What a person's page shows.
PERSON_FIELDS = (
    "name",
    "slug",
    "honorific",
    "role",
    "is_organisation",
    "bio",
    "photo",
    "photo_alt",
    "photo_renditions",
)


def focus_areas():
    return Prefetch("focus_areas", queryset=FocusArea.objects.only("theme", "title"))


class PreviewMixin:
    """Show editors with `preview_permission` what the public may not see.

    Their responses are never cached, so a preview never reaches the public.
    """

    preview_permission = ""

    def can_preview(self):
        return self.request.user.has_perm(self.preview_permission)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.can_preview():
            never_cache_page(response)
        return response


LATEST_POSTS = 3
POSTS_ON_A_PAGE = 6
PARTNERSHIPS_ON_A_PAGE = 12


def public_posts():
    """The public's blog posts as card rows, newest first (the blog's own rule)."""
    posts = apps.get_model("blog", "Post").objects.public()
    return posts.values(*CARD_FIELDS)


def public_themes():
    """The themes the public sees, in order, as the navigation and filters use."""
    return list(
        ResearchTheme.objects.public().only("title", "slug", "question", "summary")
    )


def public_theme(slug):
    """The public theme with this slug, from the kept list of them; else a 404."""
    for theme in cached_by_content("public-themes", public_themes):
        if theme.slug == slug:
            return theme
    raise Http404("No public research theme has this address.")


def kept_object(view, key, get_object):
    """`get_object()` of a view of public rows, kept by content stamp under
    `key` and the slug.

    A page's own row changes only with the content, so most renders run no
    query for it. A missing slug raises Http404 from within, so nothing is
    kept for it: junk addresses cannot fill the cache.
    """
    slug = view.kwargs[view.slug_url_kwarg]
    if len(slug) > view.model._meta.get_field("slug").max_length:
        # No row has it, and the cache key stays short.
        raise Http404("No such page.")
    return cached_by_content(f"{key}:{slug}", get_object)


def objectives():
    return list(Objective.objects.only("title", "description"))


class HomeView(TemplateView):
    template_name = "institute/home.html"

    def get_context_data(self, **kwargs):
        programmes = apps.get_model("partnerships", "Programme").objects
        # What changes only when content does is kept until it next changes.
        return super().get_context_data(
            objectives=cached_by_content("objectives", objectives),
            themes=cached_by_content("public-themes", public_themes),
            programme=cached_by_content(
                "programme-teaser", lambda: programmes.for_teaser().first()
            ),
            latest_posts=post_cards(public_posts()[:LATEST_POSTS]),
            organisation=organisation(
                cached_by_content("profile", InstituteProfile.objects.first)
            ),
            **kwargs,
        )


def organisation(profile):
    """schema.org structured data describing the institute, for the home page."""
    if not profile:
        return None
    lines = profile.address.splitlines()
    data = {
        "@context": "https://schema.org",
        "@type": "ResearchOrganization",
        "name": profile.name,
        "alternateName": profile.short_name,
        "url": f"{settings.SITE_URL}/",
        "logo": settings.SITE_URL + static("img/og-default.png"),
        "parentOrganization": {
            "@type": "CollegeOrUniversity",
            "name": profile.university,
        },
        "address": {
            "@type": "PostalAddress",
            "streetAddress": ", ".join(lines[:-1]),
            "addressLocality": lines[-1] if lines else "",
            "postalCode": profile.postcode,
            "addressCountry": profile.country,
        },
    }
    if profile.email:
        data["email"] = profile.email
    return data


class AboutView(TemplateView):
    template_name = "institute/about.html"

    def get_context_data(self, **kwargs):
        # All of it changes only when content does, like the home page's parts.
        return super().get_context_data(
            objectives=cached_by_content("objectives", objectives),
            pillars=cached_by_content("pillars", pillars),
            more_pages=cached_by_content("about-pages", about_pages),
            **kwargs,
        )


def pillars():
    research_areas = ResearchArea.objects.only("pillar", "title")
    return list(
        Pillar.objects.prefetch_related(
            Prefetch("research_areas", queryset=research_areas)
        )
    )


def about_pages():
    pages = Page.objects.public().filter(show_on_about_page=True)
    return list(pages.only("title", "slug", "standfirst"))


class ThemeListView(ListView):
    template_name = "institute/theme_list.html"
    context_object_name = "themes"

    def get_queryset(self):
        return (
            ResearchTheme.objects.public()
            .only("title", "slug", "question", "summary")
            .prefetch_related(focus_areas())
        )


class ThemeDetailView(PreviewMixin, DetailView):
    template_name = "institute/theme_detail.html"
    context_object_name = "theme"
    model = ResearchTheme
    preview_permission = "institute.change_researchtheme"

    def get_queryset(self):
        themes = ResearchTheme.objects.only(*THEME_FIELDS)
        return themes if self.can_preview() else themes.public()

    def get_object(self, queryset=None):
        if self.can_preview():
            return super().get_object(queryset)
        return kept_object(self, "public-theme", super().get_object)

    def get_context_data(self, **kwargs):
        theme = self.object
        return super().get_context_data(
            feed_url=url_for_slug("blog:theme_feed_rss", theme.slug),
            archive_url=url_for_slug("blog:theme_archive", theme.slug),
            # All change only with the content: kept until it does.
            **cached_by_content(f"theme-parts:{theme.pk}", lambda: theme_parts(theme)),
            **kwargs,
        )


# What a theme's page shows.
THEME_FIELDS = ("title", "slug", "question", "summary", "body", "is_retired")


def theme_parts(theme):
    """A theme's latest posts (cards), focus areas (titles) and partnerships
    ({name, focus, url})."""
    posts = public_posts().for_theme(theme)[:POSTS_ON_A_PAGE]
    partnerships = theme.partnerships.public().values("name", "slug", "focus")
    return {
        # The meta description, which a page renders twice (og:description).
        "description": truncatechars(theme.summary, 160),
        "posts": post_cards(posts),
        "focus_areas": list(theme.focus_areas.values_list("title", flat=True)),
        "partnerships": [
            {
                **partnership,
                "url": url_for_slug(
                    "partnerships:partnership_detail", partnership["slug"]
                ),
            }
            for partnership in partnerships[:PARTNERSHIPS_ON_A_PAGE]
        ],
    }


class PersonListView(TemplateView):
    """Everyone, by group; a large group of blog authors as a plain list of names.

    Plain dicts: the list can run to hundreds of people. Organisations that
    some bylines name (the institute itself) are not people: not listed.
    """

    template_name = "institute/person_list.html"
    # People who only write for the blog can be many and have no role to show:
    # past a page's worth of cards, their group is a list of names.
    NAMES_ONLY = {Person.Group.AUTHOR}
    MOST_CARDS = 12

    def get_context_data(self, **kwargs):
        """Add `groups`: (value, label, names only?, people) in Person.Group order.

        Kept until the content changes: most renders run no query for them.
        """
        return super().get_context_data(
            groups=cached_by_content("people-groups", self.groups), **kwargs
        )

    def groups(self):
        by_group = {}
        people = Person.objects.people().values(
            "name",
            "slug",
            "honorific",
            "role",
            "group",
            "photo_alt",
            # Most listed people (blog authors) have no photo: their empty
            # manifests are left in the database, not decoded.
            renditions=Case(
                When(photo="", then=None),
                default=F("photo_renditions"),
                output_field=JSONField(),
            ),
        )
        for person in people:
            person["display_name"] = f"{person['honorific']} {person['name']}".strip()
            person["initials"] = initials(person["name"])
            person["url"] = url_for_slug("institute:person_detail", person["slug"])
            by_group.setdefault(person["group"], []).append(person)
        return [
            (
                value,
                label,
                value in self.NAMES_ONLY and len(by_group[value]) > self.MOST_CARDS,
                by_group[value],
            )
            for value, label in Person.Group.choices
            if value in by_group
        ]


class PersonDetailView(DetailView):
    template_name = "institute/person_detail.html"
    context_object_name = "person"
    model = Person
    queryset = Person.objects.public().only(*PERSON_FIELDS)

    def get_object(self, queryset=None):
        return kept_object(self, "public-person", super().get_object)

    def get_context_data(self, **kwargs):
        person = self.object
        return super().get_context_data(
            structured_data=person_data(person),
            archive_url=url_for_slug("blog:author_archive", person.slug),
            # All change only with the content: kept until it does.
            **cached_by_content(
                f"person-parts:{person.pk}", lambda: person_parts(person)
            ),
            **kwargs,
        )


def person_parts(person):
    """A person's latest posts (cards), and their projects, publications and
    events (the work app's)."""
    from work.views import person_work

    posts = public_posts().by_author(person)[:POSTS_ON_A_PAGE]
    return {
        # The meta description, which a page renders twice (og:description).
        "description": truncatechars(person.bio, 160),
        "posts": post_cards(posts),
        **person_work(person),
    }


def person_data(person):
    """schema.org data for a byline's page: a Person, or an Organization."""
    data = {
        "@context": "https://schema.org",
        "@type": "Organization" if person.is_organisation else "Person",
        "name": person.display_name,
        "url": settings.SITE_URL + url_for_slug("institute:person_detail", person.slug),
    }
    if person.honorific and not person.is_organisation:
        data["name"] = person.name
        data["honorificPrefix"] = person.honorific
    if person.role and not person.is_organisation:
        data["jobTitle"] = person.role
    return data


class PageDetailView(PreviewMixin, DetailView):
    preview_permission = "institute.change_page"

    def get_queryset(self):
        return Page.objects.all() if self.can_preview() else Page.objects.public()
