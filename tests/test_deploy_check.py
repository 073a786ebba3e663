"""Django's deployment checklist passes with the README's production settings."""

import secrets

from tests.test_settings import run_with_env

# README, "Production-style serving and deployment": behind a TLS proxy.
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_ALLOWED_HOSTS": "www.example.ac.uk",
    "SITE_URL": "https://www.example.ac.uk",
    "DJANGO_BEHIND_TLS_PROXY": "true",
    "DJANGO_SECURE_SSL_REDIRECT": "true",
    "DJANGO_SECURE_HSTS_SECONDS": "31536000",
}
CHECK_DEPLOY = (
    "from django.core.management import execute_from_command_line; "
    "execute_from_command_line(['manage.py', 'check', '--deploy', "
    "'--fail-level', 'WARNING'])"
)


def check_deploy(**env):
    return run_with_env(
        CHECK_DEPLOY, DJANGO_SECRET_KEY=secrets.token_urlsafe(50), **env
    )


def test_check_deploy_is_clean_with_the_production_settings():
    result = check_deploy(**PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_finds_an_unsafe_setting():
    result = check_deploy(**{**PRODUCTION, "DJANGO_SECURE_COOKIES": "false"})
    assert result.returncode != 0
    assert "security.W012" in result.stderr
