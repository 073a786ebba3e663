"""The site's navigation and the institute's structured data, for every page."""

from django.conf import settings
from django.templatetags.static import static
from markupsafe import Markup

from heseltine.links import url_for
from heseltine.markup import json_ld

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


def main_nav(path):
    """The main navigation's list items, the section holding `path` marked."""
    items = []
    for url_name, label in NAVIGATION:
        url = url_for(url_name)
        current = path == url or (url != "/" and path.startswith(url))
        attributes = ' aria-current="page"' if current else ""
        items.append(f'<li><a href="{url}"{attributes}>{label}</a></li>')
    return Markup("".join(items))


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
