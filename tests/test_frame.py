"""The frame every public page shares, the health check and the error pages."""

from http import HTTPStatus

import pytest
from django.db import DatabaseError
from django.test import Client

from tests.factories import InstituteProfileFactory, PageFactory

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_fails(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("heseltine.views.connection.cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["database"] == "error"


def test_every_page_is_in_british_english_with_a_skip_link_and_landmarks(client):
    InstituteProfileFactory()
    html = client.get("/").content.decode()
    assert '<html lang="en-GB">' in html
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in html
    assert '<main id="main"' in html
    assert '<nav class="site-nav" aria-label="Main">' in html
    assert "<footer" in html


def test_the_footer_shows_the_contact_details_and_footer_pages(client):
    InstituteProfileFactory()
    PageFactory(published=True, show_in_footer=True, title="Privacy notice")
    PageFactory(published=False, show_in_footer=True, title="Secret draft")
    html = client.get("/").content.decode()
    assert "PO Box 147" in html
    assert "L69 3BX" in html
    assert "Privacy notice" in html
    assert "Secret draft" not in html


def test_a_missing_page_is_a_404_in_the_sites_frame(client):
    response = client.get("/no-such-page-here/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    html = response.content.decode()
    assert "<title>Page not found | Heseltine Institute</title>" in html
    assert 'class="skip-link"' in html


def test_a_server_error_shows_the_500_page(settings):
    settings.ROOT_URLCONF = "tests.urls_raising"
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert "Sorry, there is a problem" in response.content.decode()


def test_a_server_error_is_answered_even_when_the_500_page_fails(settings):
    """As on a server where collectstatic was never run."""
    settings.ROOT_URLCONF = "tests.urls_raising"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        },
    }
    settings.STATIC_ROOT = settings.BASE_DIR / "no-such-static-root"
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert "<h1>Sorry, there is a problem</h1>" in response.content.decode()


def test_public_pages_carry_a_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_templates_have_no_inline_scripts_or_styles(settings):
    for template in (settings.BASE_DIR / "templates").rglob("*.html"):
        if "admin" in template.parts:
            continue
        text = template.read_text()
        assert "style=" not in text, template
        assert "<style" not in text, template
        for line in text.splitlines():
            if "<script" in line:
                assert "src=" in line or "application/ld+json" in line, template
