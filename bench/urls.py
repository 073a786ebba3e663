"""The floor: a Django view rendering a 20 KB template with no database."""

from django.shortcuts import render
from django.urls import path

from heseltine.urls import urlpatterns as site_urlpatterns

PARAGRAPHS = range(92)


def floor(request):
    return render(request, "floor.html", {"paragraphs": PARAGRAPHS}, using="django")


urlpatterns = [path("__floor__/", floor), *site_urlpatterns]
