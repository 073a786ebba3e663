from django.urls import path

from blog import feeds, views

app_name = "blog"

urlpatterns = [
    path("", views.PostListView.as_view(), name="post_list"),
    path("feed/rss/", feeds.PostFeed(), name="feed_rss"),
    path("feed/atom/", feeds.AtomPostFeed(), name="feed_atom"),
    # taggit keeps letters beyond ASCII in slugs ("café-culture"): not <slug:>.
    path("tag/<str:slug>/", views.TagArchiveView.as_view(), name="tag_archive"),
    path("theme/<slug:slug>/", views.ThemeArchiveView.as_view(), name="theme_archive"),
    path("theme/<slug:slug>/feed/rss/", feeds.ThemePostFeed(), name="theme_feed_rss"),
    path(
        "theme/<slug:slug>/feed/atom/",
        feeds.AtomThemePostFeed(),
        name="theme_feed_atom",
    ),
    path(
        "author/<slug:slug>/", views.AuthorArchiveView.as_view(), name="author_archive"
    ),
    path("archive/<int:year>/", views.YearArchiveView.as_view(), name="year_archive"),
    path(
        "archive/<int:year>/<int:month>/",
        views.MonthArchiveView.as_view(),
        name="month_archive",
    ),
    path("preview/<str:token>/", views.PostPreviewView.as_view(), name="post_preview"),
    path("<slug:slug>/", views.PostDetailView.as_view(), name="post_detail"),
]
