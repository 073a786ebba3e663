"""The sitemap lists exactly the public pages, each with a lastmod."""

import xml.etree.ElementTree as ET
from http import HTTPStatus

import pytest
from django.conf import settings

from tests.factories import (
    InstituteProfileFactory,
    OrganisationFactory,
    PageFactory,
    PartnershipFactory,
    PersonFactory,
    PostAuthorFactory,
    PostFactory,
    ResearchThemeFactory,
)
from tests.work.conftest import EventFactory, ProjectFactory, PublicationFactory

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap(client):
    """Every URL of every sitemap the index lists, with its lastmod."""
    urls = {}
    for location in sitemap_files(client):
        response = client.get(location)
        assert response.status_code == HTTPStatus.OK
        for url in ET.fromstring(response.content).findall("s:url", NS):
            loc = url.find("s:loc", NS).text.removeprefix(settings.SITE_URL)
            assert loc not in urls, f"{loc} is listed twice"
            urls[loc] = url.find("s:lastmod", NS)
    return urls


def sitemap_files(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == HTTPStatus.OK
    index = ET.fromstring(response.content)
    return [
        entry.find("s:loc", NS).text.removeprefix(settings.SITE_URL)
        for entry in index.findall("s:sitemap", NS)
    ]


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
    organisation = OrganisationFactory()
    project = ProjectFactory(published=True)
    project.partners.add(organisation)
    publication = PublicationFactory(published=True)
    event = EventFactory(published=True)
    drafts = [ProjectFactory(), PublicationFactory(), EventFactory()]
    urls = sitemap(client)
    sections = {"/", "/about/", "/themes/", "/people/", "/partnerships/", "/blog/"}
    sections |= {"/projects/", "/publications/", "/events/"}
    archives = {
        "/blog/tag/devolution/",
        f"/blog/theme/{theme.slug}/",
        f"/blog/author/{person.slug}/",
    }
    assert set(urls) == sections | archives | {
        public.get_absolute_url()
        for public in (
            *(theme, person, page, partnership, post),
            *(organisation, project, publication, event),
        )
    }
    assert not {item.get_absolute_url() for item in drafts} & set(urls)
    assert retired.get_absolute_url() not in urls
    assert draft.get_absolute_url() not in urls
    assert all(lastmod is not None for lastmod in urls.values())


def test_a_long_section_is_split_into_pages_the_index_lists(client, monkeypatch):
    from heseltine import sitemaps

    monkeypatch.setattr(sitemaps.PostSitemap, "limit", 2)
    posts = [PostFactory(published=True, slug=f"post-{n}") for n in range(5)]
    files = sitemap_files(client)
    assert [f for f in files if "posts" in f] == [
        "/sitemap-posts.xml",
        "/sitemap-posts.xml?p=2",
        "/sitemap-posts.xml?p=3",
    ]
    assert {post.get_absolute_url() for post in posts} <= set(sitemap(client))


def test_a_post_without_authors_or_tags_adds_no_archive_of_nothing(client):
    """Only archives that exist are listed: no /blog/author/None/."""
    PostFactory(published=True)
    urls = sitemap(client)
    assert not [url for url in urls if url.endswith("/None/")]
    assert not [url for url in urls if url.startswith(("/blog/author/", "/blog/tag/"))]
