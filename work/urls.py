from django.urls import path

from work import feeds, views

app_name = "work"

urlpatterns = [
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path(
        "projects/<slug:slug>/",
        views.ProjectDetailView.as_view(),
        name="project_detail",
    ),
    path("publications/", views.PublicationListView.as_view(), name="publication_list"),
    path(
        "publications/feed/rss/",
        feeds.PublicationFeed(),
        name="publication_feed_rss",
    ),
    path(
        "publications/feed/atom/",
        feeds.AtomPublicationFeed(),
        name="publication_feed_atom",
    ),
    path(
        "publications/<slug:slug>/",
        views.PublicationDetailView.as_view(),
        name="publication_detail",
    ),
    path(
        "publications/<slug:slug>/pdf/",
        views.publication_pdf,
        name="publication_pdf",
    ),
    path("events/", views.EventListView.as_view(), name="event_list"),
    path("events/calendar.ics", views.events_ics, name="event_calendar"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event_detail"),
    path("events/<slug:slug>/calendar.ics", views.event_ics, name="event_ics"),
    path(
        "organisations/<slug:slug>/",
        views.OrganisationDetailView.as_view(),
        name="organisation_detail",
    ),
]
