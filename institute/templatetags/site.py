from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from heseltine.links import url_for
from heseltine.templatetags.meta import json_ld

register = template.Library()


# The main navigation: (URL name, label), in order.
NAVIGATION = (
    ("institute:home", "Home"),
    ("institute:about", "About"),
    ("institute:theme_list", "Research themes"),
    ("blog:post_list", "Blog"),
    ("partnerships:partnership_list", "Partnerships"),
    ("institute:person_list", "People"),
    ("search", "Search"),
)


@register.simple_tag(takes_context=True)
def main_nav(context):
    """The main navigation's items, the current section marked.

    One tag for every item: it is on every page.
    """
    path = context["request"].path
    items = []
    for url_name, label in NAVIGATION:
        url = url_for(url_name)
        current = path == url or (url != "/" and path.startswith(url))
        attributes = mark_safe(' aria-current="page"' if current else "")
        items.append(
            format_html('<li><a href="{}"{}>{}</a></li>', url, attributes, label)
        )
    return mark_safe("".join(items))


@register.simple_tag
def organisation_json_ld(profile):
    """schema.org structured data describing the institute, for the home page."""
    if not profile:
        return ""
    lines = profile.address.splitlines()
    data = {
        "@context": "https://schema.org",
        "@type": "ResearchOrganization",
        "name": profile.name,
        "alternateName": profile.short_name,
        "url": f"{settings.SITE_URL}/",
        "logo": settings.SITE_URL + static("img/og-default.png"),
        "parentOrganization": {
            "@type": "CollegeOrUniversity",
            "name": profile.university,
        },
        "address": {
            "@type": "PostalAddress",
            "streetAddress": ", ".join(lines[:-1]),
            "addressLocality": lines[-1] if lines else "",
            "postalCode": profile.postcode,
            "addressCountry": profile.country,
        },
    }
    if profile.email:
        data["email"] = profile.email
    return json_ld(data)
