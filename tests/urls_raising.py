"""A URLconf with one view that fails, to exercise the 500 page."""

from django.urls import path

from heseltine.urls import handler404, handler500  # noqa: F401


def boom(request):
    raise RuntimeError("Deliberate failure for the 500 page test")


urlpatterns = [path("boom/", boom)]
