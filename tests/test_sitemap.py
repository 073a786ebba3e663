"""The sitemap lists exactly the public pages, each with a lastmod."""

import xml.etree.ElementTree as ET
from http import HTTPStatus

import pytest

from tests.factories import (
    InstituteProfileFactory,
    PageFactory,
    PartnershipFactory,
    PersonFactory,
    PostAuthorFactory,
    PostFactory,
    ResearchThemeFactory,
)

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == HTTPStatus.OK
    root = ET.fromstring(response.content)
    return {
        url.find("s:loc", NS).text.removeprefix("http://testserver"): url.find(
            "s:lastmod", NS
        )
        for url in root.findall("s:url", NS)
    }


def test_the_sitemap_lists_every_public_page_and_nothing_else(client):
    InstituteProfileFactory()
    theme = ResearchThemeFactory()
    retired = ResearchThemeFactory(retired=True)
    person = PersonFactory()
    page = PageFactory(published=True)
    draft = PageFactory(published=False)
    partnership = PartnershipFactory()
    post = PostFactory(published=True, slug="live")
    post.tags.add("devolution")
    post.themes.add(theme)
    PostAuthorFactory(post=post, person=person)
    draft_post = PostFactory(slug="draft")
    draft_post.tags.add("secret plans")
    draft_post.themes.add(retired)
    urls = sitemap(client)
    sections = {"/", "/about/", "/themes/", "/people/", "/partnerships/", "/blog/"}
    archives = {
        "/blog/tag/devolution/",
        f"/blog/theme/{theme.slug}/",
        f"/blog/author/{person.slug}/",
    }
    assert set(urls) == sections | archives | {
        public.get_absolute_url() for public in (theme, person, page, partnership, post)
    }
    assert retired.get_absolute_url() not in urls
    assert draft.get_absolute_url() not in urls
    assert all(lastmod is not None for lastmod in urls.values())
