"""Settings come from the environment, and refuse unsafe production defaults."""

import os
import subprocess
import sys

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


def test_manage_py_without_a_secret_key_uses_development_defaults():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env={
            key: value
            for key, value in os.environ.items()
            if not key.startswith("DJANGO_")
        },
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert result.returncode == 0, result.stderr
