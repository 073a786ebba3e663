"""Views for the page-cache tests: one public, one private, one that counts."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache

calls = {"public": 0}


def public(request):
    calls["public"] += 1
    return HttpResponse(f"rendered {calls['public']} times")


@never_cache
def private(request):
    return HttpResponse("a preview")


def sets_cookie(request):
    response = HttpResponse("hello")
    response.set_cookie("chosen", "1")
    return response


urlpatterns = [
    path("public/", public),
    path("private/", private),
    path("cookie/", sets_cookie),
]
