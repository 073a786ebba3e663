from django.apps import apps
from django.conf import settings
from django.db.models import Case, F, JSONField, Prefetch, When
from django.templatetags.static import static
from django.utils import timezone
from django.views.generic import DetailView, ListView, TemplateView

from blog.cards import CARD_FIELDS, cards_from_rows, post_cards
from heseltine.cache import cached_by_content, never_cache_page
from heseltine.db import compiled, first_or_404
from heseltine.links import slug_urls, url_for_slug
from institute.models import (
    FocusArea,
    InstituteProfile,
    Objective,
    Page,
    Person,
    Pillar,
    ResearchArea,
    ResearchTheme,
)

PERSON_CARD_FIELDS = (
    "name",
    "slug",
    "honorific",
    "role",
    "group",
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


def published_posts(at=None):
    """The public's blog posts, newest first (the blog's own rule)."""
    posts = apps.get_model("blog", "Post").objects
    return posts.published(at).order_by("-published_at")


# The theme and person pages' queries, compiled once (see heseltine.db).


@compiled
def active_theme_by_slug(slug):
    return ResearchTheme.objects.active().filter(slug=slug)[:1]


@compiled
def theme_focus_areas(theme_id):
    return FocusArea.objects.filter(theme_id=theme_id).values("title")


@compiled(prepare=False)  # the best plan depends on the theme
def theme_posts(theme_id, now):
    posts = published_posts(at=now).for_theme(ResearchTheme(pk=theme_id))
    return posts.values(*CARD_FIELDS)[:POSTS_ON_A_PAGE]


@compiled
def theme_partnerships(theme_id):
    partnerships = apps.get_model("partnerships", "Partnership").objects
    partnerships = partnerships.filter(themes=theme_id)
    return partnerships.values("name", "slug", "focus")[:PARTNERSHIPS_ON_A_PAGE]


@compiled
def person_by_slug(slug):
    return Person.objects.only(*PERSON_CARD_FIELDS, "bio").filter(slug=slug)[:1]


@compiled
def person_posts(person_id, now):
    posts = published_posts(at=now).by_author(Person(pk=person_id))
    return posts.values(*CARD_FIELDS)[:POSTS_ON_A_PAGE]


@compiled
def listed_people():
    """Everyone, as dicts of PERSON_CARD_FIELDS in the model's order.

    The photo's manifest comes as `renditions`, and only for those with a
    photo: most listed people (blog authors) have none, and decoding each
    one's empty manifest cost more than the rest of their line.
    """
    fields = [field for field in PERSON_CARD_FIELDS if field != "photo_renditions"]
    return Person.objects.values(
        *fields,
        renditions=Case(
            When(photo="", then=None),
            default=F("photo_renditions"),
            output_field=JSONField(),
        ),
    )


def active_themes():
    """The themes the public sees, in order, as the navigation and filters use."""
    return list(
        ResearchTheme.objects.active().only("title", "slug", "question", "summary")
    )


def objectives():
    return list(Objective.objects.only("title", "description"))


class HomeView(TemplateView):
    template_name = "institute/home.html"

    def get_context_data(self, **kwargs):
        programmes = apps.get_model("partnerships", "Programme").objects
        # What changes only when content does is kept until it next changes.
        return super().get_context_data(
            objectives=cached_by_content("objectives", objectives),
            themes=cached_by_content("active-themes", active_themes),
            programme=cached_by_content(
                "programme-teaser", lambda: programmes.for_teaser().first()
            ),
            latest_posts=post_cards(published_posts()[:LATEST_POSTS]),
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
    pages = Page.objects.published().filter(show_on_about_page=True)
    return list(pages.only("title", "slug", "standfirst"))


class ThemeListView(ListView):
    template_name = "institute/theme_list.html"
    context_object_name = "themes"

    def get_queryset(self):
        return (
            ResearchTheme.objects.active()
            .only("title", "slug", "question", "summary")
            .prefetch_related(focus_areas())
        )


class ThemeDetailView(PreviewMixin, DetailView):
    template_name = "institute/theme_detail.html"
    context_object_name = "theme"
    preview_permission = "institute.change_researchtheme"

    def get_queryset(self):
        themes = ResearchTheme.objects.all()
        return themes if self.can_preview() else themes.active()

    def get_object(self, queryset=None):
        if queryset is None and not self.can_preview():
            return first_or_404(active_theme_by_slug(self.kwargs["slug"]))
        return super().get_object(queryset)

    def get_context_data(self, **kwargs):
        theme_id = self.object.pk
        partnerships = theme_partnerships(theme_id)
        for partnership in partnerships:
            partnership["url"] = url_for_slug(
                "partnerships:partnership_detail", partnership["slug"]
            )
        return super().get_context_data(
            focus_areas=[area["title"] for area in theme_focus_areas(theme_id)],
            posts=cards_from_rows(theme_posts(theme_id, timezone.now())),
            partnerships=partnerships,
            **kwargs,
        )


class PersonListView(TemplateView):
    """Everyone, by group; blog authors as a plain list of names.

    Plain dicts with links made ready: the list can run to hundreds of people,
    and model instances with reverse() each cost more than the rest of the page.
    """

    template_name = "institute/person_list.html"
    # People who only write for the blog are many and have no role to show.
    NAMES_ONLY = {Person.Group.AUTHOR}

    def get_context_data(self, **kwargs):
        """Add `groups`: (value, label, names only?, people) in Person.Group order."""
        by_group = {}
        person_url = slug_urls("institute:person_detail")
        for person in listed_people():
            person["display_name"] = f"{person['honorific']} {person['name']}".strip()
            person["url"] = person_url(person["slug"])
            by_group.setdefault(person["group"], []).append(person)
        groups = [
            (value, label, value in self.NAMES_ONLY, by_group[value])
            for value, label in Person.Group.choices
            if value in by_group
        ]
        return super().get_context_data(groups=groups, **kwargs)


class PersonDetailView(DetailView):
    template_name = "institute/person_detail.html"
    context_object_name = "person"

    def get_object(self, queryset=None):
        return first_or_404(person_by_slug(self.kwargs["slug"]))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            posts=cards_from_rows(person_posts(self.object.pk, timezone.now())),
            **kwargs,
        )


class PageDetailView(PreviewMixin, DetailView):
    preview_permission = "institute.change_page"

    def get_queryset(self):
        return Page.objects.all() if self.can_preview() else Page.objects.published()
