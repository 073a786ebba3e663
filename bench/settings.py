"""The site's own settings plus the benchmark's floor view; used only by bench/."""

from heseltine.settings import *  # noqa: F403
from heseltine.settings import TEMPLATES

ROOT_URLCONF = "bench.urls"
# For its command, generate_bench_data.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
# The floor is rendered by Django's own template engine, as the issue sets it.
DJANGO_TEMPLATES = next(
    engine for engine in TEMPLATES if engine["BACKEND"].endswith("DjangoTemplates")
)
DJANGO_TEMPLATES["DIRS"].append(BASE_DIR / "bench" / "templates")  # noqa: F405
