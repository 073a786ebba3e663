from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html

from heseltine.links import url_for
from heseltine.templatetags.meta import json_ld

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_item(context, url_name, label):
    """A main-navigation link, marked as the current page within its section."""
    url = url_for(url_name)
    path = context["request"].path
    current = path == url or (url != "/" and path.startswith(url))
    if current:
        return format_html(
            '<li><a href="{}" aria-current="page">{}</a></li>', url, label
        )
    return format_html('<li><a href="{}">{}</a></li>', url, label)


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
