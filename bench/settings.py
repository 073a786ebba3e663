"""The site's own settings plus the benchmark's floor view; used only by bench/."""

from heseltine.settings import *  # noqa: F403
from heseltine.settings import TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"].append(BASE_DIR / "bench" / "templates")  # noqa: F405
