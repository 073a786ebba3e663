"""Links that pages repeat many times, built without reverse() each time."""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, reverse

PLACEHOLDER = "slug-placeholder"


@lru_cache(maxsize=32)
def _prefix(url_name, urlconf, script_prefix):
    return reverse(url_name, kwargs={"slug": PLACEHOLDER}).split(PLACEHOLDER)


def url_for_slug(url_name, slug):
    """reverse(url_name, kwargs={"slug": slug}), resolving each pattern once.

    For lists, which make a link for every row (and a card several).
    """
    before, after = _prefix(url_name, settings.ROOT_URLCONF, get_script_prefix())
    return f"{before}{slug}{after}"


@lru_cache(maxsize=64)
def _reverse(url_name, urlconf, script_prefix):
    return reverse(url_name)


def url_for(url_name):
    """reverse(url_name) of a URL without arguments, resolved once.

    Every page's navigation links to the same few places.
    """
    return _reverse(url_name, settings.ROOT_URLCONF, get_script_prefix())
