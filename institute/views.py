from django.apps import apps
from django.db.models import Prefetch
from django.views.generic import DetailView, ListView, TemplateView

from blog.cards import post_cards
from heseltine.cache import cached_by_content, never_cache_page
from heseltine.links import url_for_slug
from institute.models import (
    FocusArea,
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


def published_posts():
    """The public's blog posts, newest first (the blog's own rule)."""
    posts = apps.get_model("blog", "Post").objects
    return posts.published().order_by("-published_at")


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
            **kwargs,
        )


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

    def get_context_data(self, **kwargs):
        partnerships = apps.get_model("partnerships", "Partnership").objects
        return super().get_context_data(
            # A list, not a prefetch: for one theme the prefetch machinery
            # cost more than its query.
            focus_areas=list(self.object.focus_areas.values_list("title", flat=True)),
            posts=post_cards(
                published_posts().for_theme(self.object)[:POSTS_ON_A_PAGE]
            ),
            partnerships=[
                {
                    "name": name,
                    "focus": focus,
                    "url": url_for_slug("partnerships:partnership_detail", slug),
                }
                for name, slug, focus in partnerships.filter(
                    themes=self.object
                ).values_list("name", "slug", "focus")[:PARTNERSHIPS_ON_A_PAGE]
            ],
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
        for person in Person.objects.values(*PERSON_CARD_FIELDS):
            person["display_name"] = f"{person['honorific']} {person['name']}".strip()
            person["url"] = url_for_slug("institute:person_detail", person["slug"])
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

    def get_queryset(self):
        return Person.objects.only(*PERSON_CARD_FIELDS, "bio")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            posts=post_cards(
                published_posts().by_author(self.object)[:POSTS_ON_A_PAGE]
            ),
            **kwargs,
        )


class PageDetailView(PreviewMixin, DetailView):
    preview_permission = "institute.change_page"

    def get_queryset(self):
        return Page.objects.all() if self.can_preview() else Page.objects.published()
