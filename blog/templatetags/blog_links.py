"""Links that post cards repeat many times a page, built without reverse()."""

from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import get_script_prefix, reverse

register = template.Library()
PLACEHOLDER = "slug-placeholder"


@lru_cache(maxsize=32)
def _prefix(url_name, urlconf, script_prefix):
    return reverse(url_name, kwargs={"slug": PLACEHOLDER}).split(PLACEHOLDER)


def _url(url_name, slug):
    # reverse() costs more than the rest of a card; resolve each pattern once.
    before, after = _prefix(url_name, settings.ROOT_URLCONF, get_script_prefix())
    return f"{before}{slug}{after}"


@register.filter
def tag_url(tag):
    return _url("blog:tag_archive", tag.slug)


@register.filter
def theme_posts_url(theme):
    return _url("blog:theme_archive", theme.slug)


@register.filter
def person_url(person):
    return _url("institute:person_detail", person.slug)


@register.filter
def post_url(post):
    return _url("blog:post_detail", post.slug)
