import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 812}


@pytest.fixture(autouse=True, scope="session")
def jinja2_context_for_the_test_client():
    """Let tests read response.context of the public (Jinja2) pages.

    Django's test client collects the context of Django-engine templates only;
    this sends the same signal when a Jinja2 template is rendered.
    """
    from django.template.backends.jinja2 import Template
    from django.test.signals import template_rendered

    render = Template.render

    def render_and_signal(self, context=None, request=None):
        context = {} if context is None else context
        html = render(self, context, request)
        template_rendered.send(sender=self, template=self, context=context)
        return html

    Template.render = render_and_signal
    yield
    Template.render = render


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Send uploads to a temporary directory that is gone after the test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def clear_cache(settings, tmp_path):
    """Each test starts with an empty cache and its own content stamp."""
    from django.core.cache import cache

    settings.CONTENT_STAMP_FILE = tmp_path / "content-stamp"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def django_app(django_app, settings):
    """The admin over plain HTTP, as tests serve it: cookies not Secure-only."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    return django_app


@pytest.fixture
def no_page_cache(settings):
    """Measure the view itself, not the anonymous page cache in front of it."""
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if not name.endswith("PageCacheMiddleware")
    ]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; skipped (or failed) without it."""
    if not Path(CHROMIUM).exists():
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests still
    # use the ORM synchronously around it, which is safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(params=[DESKTOP, MOBILE], ids=["desktop", "375px"])
def viewport(request):
    return request.param


@pytest.fixture
def browser_page(browser, live_server, viewport):
    """A fresh browser tab on the live server, at desktop and at 375 px wide."""
    context = browser.new_context(viewport=viewport, base_url=live_server.url)
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.console_errors = errors
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_source():
    from importlib.resources import files

    return files("axe_playwright_python").joinpath("axe.min.js").read_text()


@pytest.fixture
def assert_accessible(axe_source):
    """Run axe-core in the page and fail on any WCAG 2.x A or AA violation."""

    def check(page):
        page.evaluate(axe_source)
        result = page.evaluate(
            """async () => await axe.run(document, {runOnly: {type: "tag",
                values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}})"""
        )
        problems = [
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(str(node["target"]) for node in v["nodes"][:5])
            for v in result["violations"]
        ]
        assert not problems, "Accessibility violations:\n" + "\n".join(problems)
        return result

    return check


# Query budgets per kind of page (issue 7).
DETAIL, LIST, SEARCH = 8, 10, 12


@pytest.fixture
def public_pages(db):
    """The demo content, with enough extra rows that any N+1 would repeat."""
    from django.core.management import call_command

    from blog.models import Post
    from institute.models import Page, Person, ResearchTheme
    from partnerships.models import Partnership
    from tests.factories import PartnershipFactory, PostAuthorFactory, PostFactory

    call_command("load_demo_content", verbosity=0)
    theme = ResearchTheme.objects.public().first()
    person = Person.objects.get(slug="tom-arnold")
    for n in range(15):
        post = PostFactory(published=True, title=f"Extra post {n} on housing")
        PostAuthorFactory(post=post, person=person)
        post.themes.add(theme)
        post.tags.add("housing", f"extra {n}")
        PartnershipFactory(name=f"Extra partnership {n}").themes.add(theme)
    post = Post.objects.public().filter(tags__name="devolution").first()
    work = extra_work(theme, person)
    return {
        "home": ("/", LIST),
        "about": ("/about/", LIST),
        "themes": ("/themes/", LIST),
        "theme": (theme.get_absolute_url(), LIST),
        "people": ("/people/", LIST),
        "person": (person.get_absolute_url(), DETAIL),
        "page": (Page.objects.public().first().get_absolute_url(), DETAIL),
        "blog": ("/blog/", LIST),
        "blog page 2": ("/blog/?page=2", LIST),
        "post": (post.get_absolute_url(), DETAIL),
        "tag archive": ("/blog/tag/devolution/", LIST),
        "theme archive": (f"/blog/theme/{theme.slug}/", LIST),
        "author archive": ("/blog/author/tom-arnold/", LIST),
        "month archive": ("/blog/archive/2024/7/", LIST),
        "rss": ("/blog/feed/rss/", LIST),
        "atom": ("/blog/feed/atom/", LIST),
        "partnerships": ("/partnerships/", LIST),
        "partnership": (Partnership.objects.first().get_absolute_url(), DETAIL),
        "search": ("/search/?q=housing", SEARCH),
        # One count and one select per section of the sitemap, whatever its size.
        "sitemap": ("/sitemap.xml", 28),
        "projects": ("/projects/", LIST),
        "project": (work["project"], DETAIL),
        "publications": ("/publications/", LIST),
        "publication": (work["publication"], DETAIL),
        "events": ("/events/", LIST),
        "event": (work["event"], DETAIL),
        "organisation": (work["organisation"], DETAIL),
    }


def extra_work(theme, person):
    """Projects, publications and events beside the demo's, linked every way."""
    from datetime import timedelta

    from django.utils import timezone

    from partnerships.models import Organisation
    from tests.work.conftest import (
        EventFactory,
        ProjectFactory,
        PublicationAuthorFactory,
        PublicationFactory,
    )

    organisation = Organisation.objects.get(name="Engage Liverpool")
    for n in range(15):
        project = ProjectFactory(published=True, title=f"Extra project {n}")
        project.themes.add(theme)
        project.people.add(person)
        project.partners.add(organisation)
        publication = PublicationFactory(published=True, title=f"Extra report {n}")
        publication.themes.add(theme)
        PublicationAuthorFactory(publication=publication, person=person)
        project.publications.add(publication)
        for days in (7 + n, -7 - n):
            start = timezone.now() + timedelta(days=days)
            event = EventFactory(
                published=True,
                title=f"Extra event {n}",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
            )
            event.themes.add(theme)
            event.speakers.add(person)
    return {
        "project": project.get_absolute_url(),
        "publication": publication.get_absolute_url(),
        "event": event.get_absolute_url(),
        "organisation": organisation.get_absolute_url(),
    }
