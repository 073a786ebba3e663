"""Render every public page and save it; compare two such snapshots.

    .venv/bin/python bench/snapshot.py save bench/results/snapshots/before
    .venv/bin/python bench/snapshot.py compare bench/results/snapshots/{before,after}

`save` makes a throwaway database (SQLite in memory, or on PostgreSQL a
database named after DATABASE_URL's with "_snapshot" added), stops the clock
at a fixed time and renders pages with the test client, debug off and the
page cache off. It loads the demo content (with a photo and a featured image
added, so responsive images are rendered too) and saves every public page it
can reach: from the home page, the sitemap, the feeds, a set of searches,
filters and pages that do not exist, following every link on every page.
Then it adds the small benchmark set (`generate_bench_data --size small`) and
does it again. Each page is saved with its status, content type and any
redirect's target.

`compare` prints what differs and exits with 1 if anything does. At a fixed
time, in a fresh database, every byte of every page is meant to be the same;
the one thing it overlooks is how an apostrophe is escaped (`&#x27;`, as
Django's escape() writes it, or `&#39;`, as Jinja2's autoescape does), which
is the same character to every reader of HTML.
"""

import argparse
import difflib
import html
import io
import json
import logging
import os
import re
import sys
import tempfile
from collections import deque
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
SETS = ("demo", "small")
# A Monday morning in June: after every demo post, with scheduled posts ahead.
FROZEN_AT = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)
SKIPPED = ("/static/", "/media/", "/admin/", "/ckeditor/", "/healthz")
LINK = re.compile(r'(?:href|src)="([^"]+)"|<(?:loc|link)>([^<]+)</(?:loc|link)>')
MAX_PAGES = 5000
# Ways of writing the same character that a change may move between.
EQUIVALENT = {"&#x27;": "&#39;"}

SEARCHES = [
    "?q=policy",
    "?q=housing",
    "?q=inequalities",
    "?q=devolution&kind=post",
    "?q=liverpool&kind=person",
    "?q=partnership&kind=partnership",
    "?q=accessibility&kind=page",
    "?q=cities&kind=theme",
    '?q="levelling up"',
    "?q=policy -housing",
    "?q=benchmark",
    "?q=benchmark&page=2",
    "?q=benchmark&page=999",
    "?q=benchmark&page=x",
    "?q=zzzznothing",
    "?q=",
    "?q=<b>bold</b> & co",
    "?q=policy&kind=nonsense",
    "?q=policy&theme=no-such-theme",
    "?q=" + "word " * 50,
]
SEEDS = [
    "/",
    "/robots.txt",
    "/sitemap.xml",
    "/blog/feed/rss/",
    "/blog/feed/atom/",
    "/blog/?page=last",
    "/blog/?page=999",
    "/blog/?page=x",
    "/blog/archive/2024/13/",
    "/blog/archive/1999/",
    "/blog/no-such-post/",
    "/blog/tag/no-such-tag/",
    "/blog/theme/no-such-theme/",
    "/blog/author/nobody/",
    "/people/nobody/",
    "/themes/no-such-theme/",
    "/partnerships/no-such-partnership/",
    "/partnerships/?phase=1",
    "/partnerships/?phase=2",
    "/partnerships/?phase=3&nation=england",
    "/partnerships/?phase=x&nation=nowhere",
    "/partnerships/?page=2",
    "/no-such-page/",
    *(f"/search/{query}" for query in SEARCHES),
]


def setup_django(media_root):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="heseltine.settings",
        DJANGO_DEBUG="false",
        DJANGO_PAGE_CACHE="false",
        DJANGO_SECRET_KEY="snapshot-only-not-secret",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_STATICFILES_STORAGE="django.contrib.staticfiles.storage."
        "StaticFilesStorage",
        DJANGO_LOG_LEVEL="CRITICAL",
        MEDIA_ROOT=str(media_root),
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    logging.disable(logging.WARNING)  # not a line per page that is not found


def local(url, site_url):
    """The path and query of a link to a public page of the site, or None."""
    url = html.unescape(url.strip())
    # The sitemap index names the request's host when the page cache is off.
    for origin in (site_url, "http://testserver"):
        if url.startswith(origin):
            url = url[len(origin) :] or "/"
    if not url.startswith("/") or url.startswith("//"):
        return None
    url = url.split("#")[0]
    return None if url.startswith(SKIPPED) else url


def seeds():
    """SEEDS, and a search within each research theme."""
    from institute.models import ResearchTheme

    themes = ResearchTheme.objects.public().values_list("slug", flat=True)
    return [
        *SEEDS,
        *(f"/search/?q=policy&theme={slug}" for slug in themes),
        *(f"/search/?q=benchmark&kind=post&theme={slug}" for slug in themes),
    ]


def crawl(client, site_url):
    """{url: page} for every public page reachable from seeds()."""
    pages = {}
    queue = deque(seeds())
    seen = set(queue)
    while queue:
        url = queue.popleft()
        response = client.get(url)
        body = response.content.decode()
        pages[url] = {
            "status": response.status_code,
            "type": response.get("Content-Type", ""),
            "location": response.get("Location", ""),
            "body": body,
        }
        targets = [response.get("Location", "")]
        targets += [a or b for a, b in LINK.findall(body)]
        for target in targets:
            found = local(target, site_url) if target else None
            if found and found not in seen:
                if len(seen) >= MAX_PAGES:
                    raise SystemExit(f"More than {MAX_PAGES} pages: is a link looping?")
                seen.add(found)
                queue.append(found)
    return pages


def png(size, colour):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def add_images():
    """A photo for a person and a featured image for the newest post."""
    from django.core.files.base import ContentFile

    from blog.models import Post
    from institute.models import Person

    person = Person.objects.order_by("order", "name").first()
    person.photo = ContentFile(png((800, 800), (90, 40, 120)), name="portrait.png")
    person.photo_alt = "A purple square standing in for a portrait"
    person.save()
    post = Post.objects.public().order_by("-published_at").first()
    post.featured_image = ContentFile(png((1600, 900), (20, 110, 105)), name="wide.png")
    post.featured_image_alt = "A green rectangle standing in for a photograph"
    post.save()


def save(directory):
    directory = Path(directory)
    with tempfile.TemporaryDirectory() as temporary:
        setup_django(Path(temporary) / "media")
        import time_machine
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import (
            setup_databases,
            setup_test_environment,
            teardown_databases,
        )

        from bench.management.commands.generate_bench_data import (
            Command as BenchData,
        )

        settings.CONTENT_STAMP_FILE = Path(temporary) / "content-stamp"
        test = connection.settings_dict.setdefault("TEST", {})
        test["NAME"] = f"{connection.settings_dict['NAME']}_snapshot"
        if connection.vendor == "sqlite":
            test["NAME"] = None  # in memory
        setup_test_environment()
        databases = setup_databases(verbosity=0, interactive=False)
        try:
            with time_machine.travel(FROZEN_AT, tick=False):
                call_command("load_demo_content", verbosity=0, stdout=io.StringIO())
                add_images()
                write(directory / "demo", crawl(Client(), settings.SITE_URL))
                call_command(BenchData(), size="small", stdout=io.StringIO())
                write(directory / "small", crawl(Client(), settings.SITE_URL))
        finally:
            teardown_databases(databases, verbosity=0)


def file_name(url):
    return quote(url, safe="")[:200] or "root"


def write(directory, pages):
    directory.mkdir(parents=True, exist_ok=True)
    manifest = {}
    for url, page in sorted(pages.items()):
        name = file_name(url)
        (directory / name).write_text(page.pop("body"))
        manifest[url] = {**page, "file": name}
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=1))
    statuses = {}
    for page in manifest.values():
        statuses[page["status"]] = statuses.get(page["status"], 0) + 1
    print(f"{directory}: {len(manifest)} pages, by status {statuses}")


def normal(text):
    for written, same in EQUIVALENT.items():
        text = text.replace(written, same)
    return text


def lines(text):
    """Text split at tags, so a diff points at the element that changed."""
    return re.sub(r">\s*<", ">\n<", text).splitlines(keepends=True)


def compare(before, after, *, context=3, most=40):
    differences = 0
    for name in SETS:
        old_dir, new_dir = Path(before) / name, Path(after) / name
        old = json.loads((old_dir / "manifest.json").read_text())
        new = json.loads((new_dir / "manifest.json").read_text())
        for url in sorted(old.keys() - new.keys()):
            print(f"[{name}] only before: {url}")
            differences += 1
        for url in sorted(new.keys() - old.keys()):
            print(f"[{name}] only after: {url}")
            differences += 1
        same = 0
        for url in sorted(old.keys() & new.keys()):
            a, b = old[url], new[url]
            meta = {k: (a[k], b[k]) for k in ("status", "type", "location")}
            changed_meta = {k: v for k, v in meta.items() if v[0] != v[1]}
            a_body = normal((old_dir / a["file"]).read_text())
            b_body = normal((new_dir / b["file"]).read_text())
            if not changed_meta and a_body == b_body:
                same += 1
                continue
            differences += 1
            print(f"[{name}] {url} differs {changed_meta or ''}")
            diff = list(
                difflib.unified_diff(
                    lines(a_body), lines(b_body), "before", "after", n=context
                )
            )
            sys.stdout.writelines(diff[:most])
            if len(diff) > most:
                print(f"... {len(diff) - most} more lines of difference")
        print(f"[{name}] {same} of {len(old.keys() | new.keys())} pages the same")
    return differences


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("save").add_argument("directory")
    comparing = commands.add_parser("compare")
    comparing.add_argument("before")
    comparing.add_argument("after")
    args = parser.parse_args()
    if args.command == "save":
        save(args.directory)
    elif compare(args.before, args.after):
        sys.exit(1)


if __name__ == "__main__":
    main()
