from django.urls import path

from institute import views

app_name = "institute"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    # Last: any other single-segment path may be a page.
    path("<slug:slug>/", views.PageDetailView.as_view(), name="page_detail"),
]
