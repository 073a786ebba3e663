"""Settings come from the environment, and refuse unsafe production defaults."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

PRINT_SETTING = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.{})"
)


def run_with_env(code, **env):
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_")
        and key not in {"DATABASE_URL", "CACHE_URL", "REDIS_URL"}
    }
    clean["DJANGO_SETTINGS_MODULE"] = "heseltine.settings"
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        env=clean,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )


def test_debug_off_without_a_secret_key_stops_with_a_clear_message():
    result = run_with_env(PRINT_SETTING.format("DEBUG"), DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


def test_debug_off_without_allowed_hosts_stops_with_a_clear_message():
    result = run_with_env(
        PRINT_SETTING.format("DEBUG"), DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x"
    )
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def test_debug_on_runs_with_development_defaults():
    result = run_with_env(PRINT_SETTING.format("ALLOWED_HOSTS"), DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert "127.0.0.1" in result.stdout


def test_sqlite_is_the_default_database():
    result = run_with_env(
        PRINT_SETTING.format("DATABASES['default']['ENGINE']"), DJANGO_DEBUG="true"
    )
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_a_postgres_url_selects_postgresql():
    result = run_with_env(
        PRINT_SETTING.format("DATABASES['default']['NAME']")
        + "; print(settings.DATABASES['default']['ENGINE'])",
        DJANGO_DEBUG="true",
        DATABASE_URL="postgres://someone@db.example:5432/heseltine",
    )
    assert result.stdout.split() == ["heseltine", "django.db.backends.postgresql"]


@pytest.mark.parametrize("variable", ["REDIS_URL", "CACHE_URL"])
def test_a_redis_url_selects_djangos_redis_cache(variable):
    result = run_with_env(
        PRINT_SETTING.format("CACHES['default']['BACKEND']"),
        DJANGO_DEBUG="true",
        **{variable: "redis://127.0.0.1:6379/1"},
    )
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache"


def test_local_memory_cache_is_the_default():
    result = run_with_env(
        PRINT_SETTING.format("CACHES['default']['BACKEND']"), DJANGO_DEBUG="true"
    )
    assert result.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"


def test_the_site_speaks_british_english_on_london_time():
    assert settings.LANGUAGE_CODE == "en-gb"
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.USE_TZ is True


def without_django_variables():
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_")
        and key not in {"DATABASE_URL", "CACHE_URL", "REDIS_URL", "STATIC_ROOT"}
    }


@pytest.fixture
def checkout(tmp_path):
    """A copy of the checkout, in which to write a .env (never the real one's)."""
    root = tmp_path / "site"
    base = Path(settings.BASE_DIR)
    for name in ("heseltine", "institute", "blog", "partnerships", "work", "templates"):
        shutil.copytree(
            base / name, root / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copytree(base / "static", root / "static")
    shutil.copy(base / "manage.py", root)
    return root


def manage(root, *arguments, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        env=without_django_variables() | env,
        capture_output=True,
        text=True,
        cwd=root,
        check=False,
    )


SHOW_DEBUG = (
    "from django.conf import settings; "
    "print(settings.DEBUG, settings.STORAGES['staticfiles']['BACKEND'])"
)


def test_manage_py_with_no_settings_refuses_rather_than_guessing_debug(checkout):
    result = manage(checkout, "check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


def test_a_dot_env_beside_manage_py_is_read_before_debug_is_decided(checkout):
    (checkout / ".env").write_text(
        "DJANGO_SECRET_KEY=from-the-dot-env-file\n"
        "DJANGO_ALLOWED_HOSTS=www.example.ac.uk\n"
    )
    result = manage(checkout, "shell", "-v", "0", "-c", SHOW_DEBUG)
    assert result.returncode == 0, result.stderr
    # Debug off, so collectstatic writes hashed, compressed files and a manifest.
    assert result.stdout.split() == [
        "False",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]


def test_the_environment_wins_over_the_dot_env(checkout):
    (checkout / ".env").write_text("DJANGO_SECRET_KEY=x\nDJANGO_DEBUG=false\n")
    result = manage(checkout, "shell", "-v", "0", "-c", SHOW_DEBUG, DJANGO_DEBUG="true")
    assert result.stdout.split()[0] == "True", result.stderr


def test_django_env_file_names_the_file_to_read(checkout, tmp_path):
    named = tmp_path / "heseltine.env"
    named.write_text("DJANGO_SECRET_KEY=x\nDJANGO_ALLOWED_HOSTS=a.example\n")
    (checkout / ".env").write_text("DJANGO_DEBUG=true\n")
    result = manage(
        checkout, "shell", "-v", "0", "-c", SHOW_DEBUG, DJANGO_ENV_FILE=str(named)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "False"


def test_a_missing_env_file_stops_with_a_clear_message(checkout, tmp_path):
    result = manage(checkout, "check", DJANGO_ENV_FILE=str(tmp_path / "nowhere.env"))
    assert result.returncode != 0
    assert "nowhere.env, which is not a readable file" in result.stderr


S3 = {
    "DJANGO_MEDIA_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": "heseltine-media",
    "AWS_S3_CUSTOM_DOMAIN": "www.example.ac.uk/media",
}


def test_local_disk_is_the_default_media_storage():
    result = run_with_env(
        PRINT_SETTING.format("STORAGES['default']['BACKEND'], settings.SERVE_MEDIA"),
        DJANGO_DEBUG="true",
    )
    assert result.stdout.strip() == (
        "django.core.files.storage.FileSystemStorage True"
    ), result.stderr


def test_s3_media_storage_is_configured_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__name__, s.bucket_name, s.url('uploads/a.png'), "
        "settings.SERVE_MEDIA)"
    )
    result = run_with_env(code, DJANGO_DEBUG="true", **S3)
    assert result.stdout.split() == [
        "S3Storage",
        "heseltine-media",
        "https://www.example.ac.uk/media/uploads/a.png",
        "False",
    ], result.stderr


def test_s3_media_without_a_bucket_stops_with_a_clear_message():
    result = run_with_env(
        PRINT_SETTING.format("DEBUG"),
        DJANGO_DEBUG="true",
        DJANGO_MEDIA_STORAGE="s3",
        AWS_S3_CUSTOM_DOMAIN="www.example.ac.uk/media",
    )
    assert result.returncode != 0
    assert "AWS_STORAGE_BUCKET_NAME" in result.stderr


def test_django_cannot_serve_media_that_is_in_a_bucket():
    result = run_with_env(
        PRINT_SETTING.format("DEBUG"),
        DJANGO_DEBUG="true",
        DJANGO_SERVE_MEDIA="true",
        **S3,
    )
    assert result.returncode != 0
    assert "the bucket serves them" in result.stderr


def test_s3_media_needs_to_know_where_uploads_are_served_from():
    result = run_with_env(
        PRINT_SETTING.format("DEBUG"),
        DJANGO_DEBUG="true",
        DJANGO_MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="heseltine-media",
    )
    assert result.returncode != 0
    assert "set AWS_S3_CUSTOM_DOMAIN" in result.stderr


@pytest.mark.parametrize(
    "policy", ["CONTENT_SECURITY_POLICY", "STAFF_CONTENT_SECURITY_POLICY"]
)
def test_pages_may_show_images_from_a_media_domain_of_its_own(policy):
    result = run_with_env(
        PRINT_SETTING.format(f"{policy}['DIRECTIVES']['img-src']"),
        DJANGO_DEBUG="true",
        **{**S3, "AWS_S3_CUSTOM_DOMAIN": "media.example.ac.uk"},
    )
    assert "'https://media.example.ac.uk'" in result.stdout, result.stderr


@pytest.mark.django_db
def test_health_probes_over_plain_http_are_not_redirected(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/robots.txt").status_code == 301


def test_email_goes_to_the_console_with_debug_on_and_by_smtp_in_production():
    backend = PRINT_SETTING.format("EMAIL_BACKEND")
    debug = run_with_env(backend, DJANGO_DEBUG="true")
    assert debug.stdout.strip() == "django.core.mail.backends.console.EmailBackend"
    production = run_with_env(
        PRINT_SETTING.format(
            "EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, "
            "settings.EMAIL_USE_TLS"
        ),
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="x",
        DJANGO_ALLOWED_HOSTS="www.example.ac.uk",
        EMAIL_HOST="smtp.example.ac.uk",
        EMAIL_PORT="25",
        EMAIL_USE_TLS="false",
    )
    assert production.returncode == 0, production.stderr
    assert production.stdout.strip() == (
        "django.core.mail.backends.smtp.EmailBackend smtp.example.ac.uk 25 False"
    )


def test_frontend_cache_urls_are_base_urls_or_a_clear_message():
    result = run_with_env(
        PRINT_SETTING.format("FRONTEND_CACHE_URLS"),
        DJANGO_DEBUG="true",
        FRONTEND_CACHE_URLS="http://127.0.0.1:6081,http://10.0.0.2:6081",
    )
    assert result.stdout.strip() == "['http://127.0.0.1:6081', 'http://10.0.0.2:6081']"
    result = run_with_env(
        PRINT_SETTING.format("FRONTEND_CACHE_URLS"),
        DJANGO_DEBUG="true",
        FRONTEND_CACHE_URLS="127.0.0.1:6081",
    )
    assert result.returncode != 0
    assert "FRONTEND_CACHE_URLS: '127.0.0.1:6081' is not a base URL such as" in (
        result.stderr
    )
