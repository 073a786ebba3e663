"""Views for the page-cache tests: public, private, counting, and so on."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache

from heseltine.cache import bump_content_stamp

calls = {"public": 0}


def public(request):
    calls["public"] += 1
    return HttpResponse(f"rendered {calls['public']} times")


@never_cache
def private(request):
    return HttpResponse("a preview")


def changes(request):
    """A page during whose rendering the content changed (an editor saved)."""
    bump_content_stamp()
    return HttpResponse("rendered as the content changed")


def sets_cookie(request):
    response = HttpResponse("hello")
    response.set_cookie("chosen", "1")
    return response


urlpatterns = [
    path("public/", public),
    path("private/", private),
    path("cookie/", sets_cookie),
    path("changes/", changes),
]
