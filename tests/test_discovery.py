"""What search engines and social networks read: robots, metadata, breadcrumbs."""

import json
import re
from http import HTTPStatus

import pytest
from django.template import engines
from django.test import RequestFactory

from tests.factories import InstituteProfileFactory, PageFactory

pytestmark = pytest.mark.django_db


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_points_at_the_sitemap(
    client, settings
):
    settings.SITE_URL = "https://www.example.ac.uk"
    response = client.get("/robots.txt")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Disallow: /blog/preview/" in lines
    assert "Sitemap: https://www.example.ac.uk/sitemap.xml" in lines


def test_a_page_has_open_graph_tags_from_its_own_title_and_description(client):
    InstituteProfileFactory()
    page = PageFactory(published=True, title="Privacy notice", standfirst="Our data.")
    html = client.get(page.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Privacy notice">' in html
    assert '<meta property="og:description" content="Our data.">' in html
    assert f'content="http://127.0.0.1:8000{page.get_absolute_url()}"' in html
    assert re.search(r'og:image" content="[^"]+og-default\.png"', html)
    assert '<meta name="twitter:card" content="summary_large_image">' in html


def test_breadcrumbs_are_visible_and_a_schema_org_breadcrumb_list():
    request = RequestFactory().get("/blog/a-post/")
    html = engines["jinja2"].from_string(
        '{% from "includes/breadcrumbs.html" import breadcrumbs with context %}'
        "{{ breadcrumbs('Blog', '/blog/', title) }}"
    ).render({"request": request, "site_url": "https://x.test",
              "title": "A </script> post"})  # fmt: skip
    assert '<nav class="breadcrumbs wrap" aria-label="Breadcrumb">' in html
    assert '<a href="/">Home</a>' in html
    assert '<span aria-current="page">A &lt;/script&gt; post</span>' in html
    data = json.loads(re.search(r"ld\+json\">(.*?)</script>", html, re.S).group(1))
    assert data["@type"] == "BreadcrumbList"
    assert [item["name"] for item in data["itemListElement"]] == [
        "Home",
        "Blog",
        "A </script> post",
    ]
    assert data["itemListElement"][2]["item"] == "https://x.test/blog/a-post/"


def test_every_public_page_has_its_own_title_description_canonical_and_cards(
    client, public_pages
):
    titles = {}
    for name, (url, _) in public_pages.items():
        if name in {"rss", "atom", "sitemap"}:
            continue
        html = client.get(url).content.decode()
        title = re.search(r"<title>(.+?)</title>", html).group(1)
        assert title not in titles, f"{name} shares its title with {titles.get(title)}"
        titles[title] = name
        description = re.search(r'<meta name="description" content="([^"]*)"', html)
        assert description.group(1).strip(), name
        assert re.search(r'<link rel="canonical" href="http[^"]+"', html), name
        for tag in ("og:title", "og:description", "og:url", "og:image"):
            assert re.search(rf'property="{tag}" content="[^"]+"', html), (name, tag)
        if name != "home":
            assert 'aria-label="Breadcrumb"' in html, name
            assert '"BreadcrumbList"' in html, name


def test_the_home_page_describes_the_institute_as_an_organisation(client):
    InstituteProfileFactory(email="heseltine@example.ac.uk")
    html = client.get("/").content.decode()
    data = json.loads(re.search(r"ld\+json\">(.*?)</script>", html, re.S).group(1))
    assert data["@type"] == "ResearchOrganization"
    assert data["name"] == "Heseltine Institute for Public Policy, Practice and Place"
    assert data["parentOrganization"]["name"] == "University of Liverpool"
    assert data["address"]["postalCode"] == "L69 3BX"
    assert data["email"] == "heseltine@example.ac.uk"
