from django import template

from heseltine.links import url_for_slug

register = template.Library()


@register.filter
def person_url(person):
    return url_for_slug("institute:person_detail", person.slug)
