"""Public pages of projects, publications, events and organisations.

Every list and page starts from `public()`; editors with the change permission
also see drafts (never cached), as with the institute's own pages.
"""

from django.conf import settings
from django.db.models import (
    DateTimeField,
    F,
    IntegerField,
    Prefetch,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Cast
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.timezone import localtime
from django.views.generic import DetailView, ListView

from blog.cards import CARD_FIELDS, post_cards
from heseltine.cache import never_cache_page
from heseltine.links import url_for_slug
from institute.models import Person, ResearchTheme
from partnerships.models import Organisation, Partnership, ProgrammeRole
from work import calendar
from work.models import INSTITUTE, Event, Project, Publication, PublicationAuthor
from work.services import may_publish

LIST_SIZE = 20
PAST_EVENTS = 20
UPCOMING_EVENTS = 50
PERSON_FIELDS = ("name", "slug", "honorific", "order")


def themes():
    return Prefetch(
        "themes",
        queryset=ResearchTheme.objects.public().only("title", "slug", "order"),
        to_attr="theme_list",
    )


def authors():
    return Prefetch(
        "publication_authors",
        queryset=PublicationAuthor.objects.select_related("person").only(
            "publication", "order", *(f"person__{f}" for f in PERSON_FIELDS)
        ),
        to_attr="author_list",
    )


def people(lookup, to_attr):
    return Prefetch(
        lookup, queryset=Person.objects.public().only(*PERSON_FIELDS), to_attr=to_attr
    )


def visible_rows(model, user):
    """What `user` may see of `model` on the site: the public rows, and for
    staff the drafts they may see in the admin (editors all, contributors
    their own)."""
    if not user.has_perm(f"work.change_{model._meta.model_name}"):
        return model.objects.public()
    return model.objects.visible_to(
        user, may_publish=may_publish(user=user, model=model)
    )


class PreviewMixin:
    """Staff preview the drafts they may see; such pages are never cached."""

    model = None

    def rows(self):
        return visible_rows(self.model, self.request.user)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if not self.object.is_published:
            response["X-Robots-Tag"] = "noindex, nofollow"
            never_cache_page(response)
        return response


# Projects


class ProjectListView(ListView):
    template_name = "work/project_list.html"
    context_object_name = "projects"
    paginate_by = LIST_SIZE

    def get_queryset(self):
        return (
            Project.objects.public()
            .only("title", "slug", "summary", "started_on", "ended_on")
            .prefetch_related(themes())
        )


class ProjectDetailView(PreviewMixin, DetailView):
    template_name = "work/project_detail.html"
    context_object_name = "project"
    model = Project

    def get_queryset(self):
        return self.rows().prefetch_related(
            themes(),
            people("people", "person_list"),
            Prefetch(
                "partners",
                queryset=Organisation.objects.only("name", "short_name", "slug"),
                to_attr="partner_list",
            ),
            Prefetch(
                "publications",
                queryset=Publication.objects.public().only("title", "slug", "year"),
                to_attr="publication_list",
            ),
        )

    def get_context_data(self, **kwargs):
        posts = self.object.posts.public().values(*CARD_FIELDS)
        return super().get_context_data(posts=post_cards(posts), **kwargs)


# Publications


class PublicationListView(ListView):
    template_name = "work/publication_list.html"
    context_object_name = "publications"
    paginate_by = LIST_SIZE

    def get_queryset(self):
        return (
            Publication.objects.public()
            .only("title", "slug", "summary", "kind", "year", "published_on", "credit")
            .prefetch_related(themes(), authors())
        )


class PublicationDetailView(PreviewMixin, DetailView):
    template_name = "work/publication_detail.html"
    context_object_name = "publication"
    model = Publication

    def get_queryset(self):
        return self.rows().prefetch_related(
            themes(),
            authors(),
            Prefetch(
                "projects",
                queryset=Project.objects.public().only("title", "slug"),
                to_attr="project_list",
            ),
        )

    def get_context_data(self, **kwargs):
        publication = self.object
        posts = publication.posts.public().values(*CARD_FIELDS)
        people = [author.person for author in publication.author_list]
        return super().get_context_data(
            posts=post_cards(posts),
            citation=publication.citation(people),
            **kwargs,
        )


def publication_pdf(request, slug):
    """The publication's PDF, as a download that no browser may take for a page."""
    rows = visible_rows(Publication, request.user)
    publication = get_object_or_404(
        rows.only("slug", "pdf", "status", "published_at"), slug=slug
    )
    if not publication.pdf:
        raise Http404("This publication has no PDF.")
    response = FileResponse(
        publication.pdf.open("rb"),
        as_attachment=True,
        filename=f"{publication.slug}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    if not publication.is_published:
        never_cache_page(response)
    return response


# Events


class EventListView(ListView):
    """Upcoming events (on the first page) and past ones, latest first."""

    template_name = "work/event_list.html"
    context_object_name = "past_events"
    paginate_by = PAST_EVENTS

    def listed(self, events):
        return events.only(
            "title", "slug", "summary", "starts_at", "ends_at", "venue", "is_online"
        )

    def get_queryset(self):
        return self.listed(Event.objects.public().past())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        past = list(context["object_list"])
        upcoming = []
        if context["page_obj"].number == 1:
            upcoming = list(
                self.listed(Event.objects.public().upcoming())[:UPCOMING_EVENTS]
            )
        # The themes of both lists in one query.
        prefetch_related_objects(upcoming + past, themes())
        return {
            **context,
            "past_events": past,
            "object_list": past,
            "upcoming_events": upcoming,
        }


class EventDetailView(PreviewMixin, DetailView):
    template_name = "work/event_detail.html"
    context_object_name = "event"
    model = Event

    def get_queryset(self):
        return self.rows().prefetch_related(
            themes(), people("speakers", "speaker_list")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            structured_data=event_data(self.object), **kwargs
        )


def event_data(event):
    """schema.org data of an event, for search engines and calendars."""
    modes = {
        (True, False): "OfflineEventAttendanceMode",
        (False, True): "OnlineEventAttendanceMode",
        (True, True): "MixedEventAttendanceMode",
    }
    page = settings.SITE_URL + event.get_absolute_url()
    places = []
    if event.venue:
        places.append({"@type": "Place", "name": event.venue, "address": event.venue})
    if event.is_online:
        places.append({"@type": "VirtualLocation", "url": event.booking_url or page})
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.summary,
        "startDate": localtime(event.starts_at).isoformat(),
        "endDate": localtime(event.ends_at).isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/"
        + modes[(bool(event.venue), event.is_online)],
        "location": places[0] if len(places) == 1 else places,
        "url": page,
        "organizer": {
            "@type": "ResearchOrganization",
            "name": INSTITUTE,
            "url": settings.SITE_URL + "/",
        },
    }
    if event.speaker_list:
        data["performer"] = [
            {
                "@type": "Person",
                "name": person.display_name,
                "url": settings.SITE_URL + person.get_absolute_url(),
            }
            for person in event.speaker_list
        ]
    return data


def calendar_response(events, *, filename):
    response = HttpResponse(
        calendar.ics(events), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def event_ics(request, slug):
    """One public event as an iCalendar file, to add to a calendar app."""
    event = get_object_or_404(Event.objects.public(), slug=slug)
    return calendar_response([event], filename=f"{event.slug}.ics")


def events_ics(request):
    """The public's upcoming events, as a calendar apps can subscribe to."""
    events = Event.objects.public().upcoming()[:UPCOMING_EVENTS]
    return calendar_response(events, filename="heseltine-institute-events.ics")


# Organisations


class OrganisationDetailView(DetailView):
    """All an organisation is part of: programme roles, partnerships, projects."""

    template_name = "work/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return Organisation.objects.public().prefetch_related(
            Prefetch(
                "roles",
                queryset=ProgrammeRole.objects.select_related("programme").only(
                    "organisation",
                    "role",
                    "note",
                    "order",
                    "programme__name",
                    "programme__short_name",
                    "programme__slug",
                ),  # fmt: skip
                to_attr="role_list",
            ),
            Prefetch(
                "led_partnerships",
                queryset=Partnership.objects.public().only(
                    "name", "slug", "lead_organisation"
                ),
                to_attr="led_list",
            ),
            Prefetch(
                "projects",
                queryset=Project.objects.public().only(
                    "title", "slug", "summary", "started_on", "ended_on"
                ),
                to_attr="project_list",
            ),
        )


def _links(querysets):
    """Public rows of several models in one UNION ALL query, as links by kind.

    Each queryset is filtered already; rows are grouped under the model's
    name ("project": [{title, url, when, year}, ...]), each group in order.
    """
    parts = [
        rows.public()
        .order_by()
        .values(
            link_kind=Value(rows.model._meta.model_name),
            link_title=F("title"),
            link_slug=F("slug"),
            when=F("starts_at") if rows.model is Event else NO_TIME,
            link_year=F("year") if rows.model is Publication else NO_YEAR,
        )
        for rows in querysets
    ]
    first, *others = parts
    grouped = {rows.model._meta.model_name: [] for rows in querysets}
    for row in first.union(*others, all=True).order_by(
        "link_kind", "-when", "link_title"
    ):
        grouped[row["link_kind"]].append(
            {
                "title": row["link_title"],
                "url": url_for_slug(
                    f"work:{row['link_kind']}_detail", row["link_slug"]
                ),
                "when": row["when"],
                "year": row["link_year"],
            }
        )
    return grouped


# Typed NULLs: PostgreSQL takes a bare NULL in a UNION's first part for text.
NO_TIME = Cast(Value(None), DateTimeField())
NO_YEAR = Cast(Value(None), IntegerField())


def post_work(post_id):
    """The public publications and projects a post is related to, as links."""
    grouped = _links(
        [
            Publication.objects.filter(posts=post_id),
            Project.objects.filter(posts=post_id),
        ]
    )
    return {"publications": grouped["publication"], "projects": grouped["project"]}


def person_work(person):
    """A person's public projects, publications and events (one query), as links."""
    grouped = _links(
        [
            Project.objects.filter(people=person),
            Publication.objects.filter(authors=person),
            Event.objects.filter(speakers=person),
        ]
    )
    return {
        "projects": grouped["project"],
        "publications": grouped["publication"],
        "events": grouped["event"],
    }
