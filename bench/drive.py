"""Drive each public page and the floor alternately with wrk; report the ratios.

Run by bench/run.sh, which starts the servers; `--growth` compares the small
and large data sets served side by side; `--report` prints the table of every
run so far and writes it to bench/results/latest.md.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
FLOOR = "/__floor__/"
# Targets: share of the floor's requests/s, latency multiples.
UNCACHED_SHARE = {}
UNCACHED_DEFAULT = 0.5
CACHED_SHARE = 0.8
LATENCY_MULTIPLE = {"home": 3.0, "search": 3.0}
LATENCY_DEFAULT = 2.5
GROWTH = 1.25  # latency with 10,000 posts over latency with 20
GROWTH_HEADER = (
    "| page | small p50 ms | large p50 ms | growth | HTML KB small → large |"
)
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
HEADER = (
    "| page | uncached req/s | of floor | cached req/s | of floor "
    "| p50 ms (c=1) | p99 ms | p50 vs floor | verdict |"
)


def pages():
    """The public pages to measure, one of each kind, found in the database.

    The same kind of page at both sizes, showing as many posts at both where
    it can: the newest post, the person with the most posts, the deepest full
    page of the blog list up to page 50, and the archive of the tag with the
    fewest posts that still fill a page (on the large set, a tag whose posts
    are scattered through all the others).
    """
    sys.path.insert(0, str(RESULTS.parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.db.models import Count, Q
    from django.urls import reverse
    from taggit.models import Tag

    from blog.models import Post
    from blog.views import PostListView
    from institute.models import Page, Person, ResearchTheme
    from partnerships.models import Partnership

    published = Post.objects.public()
    post = published.order_by("-published_at").first()
    per_page = PostListView.paginate_by
    tag = (
        Tag.objects.annotate(
            posts=Count(
                "taggit_taggeditem_items",
                filter=Q(taggit_taggeditem_items__object_id__in=published.values("pk")),
            )
        )
        .filter(posts__gte=per_page)
        .order_by("posts", "slug")
        .first()
    )
    theme = ResearchTheme.objects.public().first()
    person = (
        Person.objects.filter(post_authors__post__in=published)
        .annotate(posts=Count("post_authors"))
        .order_by("-posts", "slug")
        .first()
    )
    deep_page = min(50, published.count() // per_page)
    blog_list = reverse("blog:post_list")
    return {
        "home": "/",
        "about": reverse("institute:about"),
        "themes": reverse("institute:theme_list"),
        "theme": theme.get_absolute_url(),
        "people": reverse("institute:person_list"),
        "person": person.get_absolute_url(),
        "page": Page.objects.public().first().get_absolute_url(),
        "blog list": blog_list,
        "blog list deep": f"{blog_list}?page={deep_page}",
        "post": post.get_absolute_url(),
        "tag archive": reverse("blog:tag_archive", kwargs={"slug": tag.slug}),
        "feed": reverse("blog:feed_rss"),
        "partnerships": reverse("partnerships:partnership_list"),
        "partnership": Partnership.objects.first().get_absolute_url(),
        "search": reverse("search") + "?q=policy",
    }


def check(url, *, cached):
    """Stop unless `url` answers 200 and, on the cached server, comes from the cache.

    wrk counts redirects as successes, and a page the cache refuses would make
    the cached figures meaningless. Each worker has its own local-memory cache,
    so the first request to each is a miss; a hit ends the check.
    """
    for _ in range(16):
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                status, source = response.status, response.headers["X-Page-Cache"]
        except urllib.error.HTTPError as error:
            raise SystemExit(f"{url} answered {error.code}") from error
        if response.url != url:
            raise SystemExit(f"{url} redirected to {response.url}")
        if status != 200:
            raise SystemExit(f"{url} answered {status}")
        if cached and source == "hit":
            break
    if cached and source != "hit":
        raise SystemExit(f"{url} is not served from the page cache ({source})")
    if not cached and source is not None:
        raise SystemExit(f"{url} came from the page cache on the uncached server")


def wrk(url, *, duration, connections):
    """Requests/s and p50/p99 latency (ms) of `url` under wrk."""
    output = subprocess.run(
        [
            "wrk",
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{duration}s",
            # A slow page is a finding, not a failure: wrk's default is 2 s.
            "--timeout",
            "30s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = re.search(r"connect (\d+), read \d+, write \d+, timeout (\d+)", output)
    if "Non-2xx or 3xx responses" in output or (
        errors and any(int(n) for n in errors.groups())
    ):
        raise SystemExit(f"{url} answered with errors:\n{output}")
    latency = {
        percentile: float(value) * UNITS[unit]
        for percentile, value, unit in re.findall(
            r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M
        )
    }
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    if not rps or not latency.get("50") or "99" not in latency:
        raise SystemExit(f"{url} completed no request:\n{output}")
    return {"rps": rps, "p50": latency["50"], "p99": latency["99"]}


def settle(base, *, workers=2):
    """Wait until the server has answered every request wrk left queued.

    When wrk stops, the sync workers still serve the requests it had in
    flight; without this the next run (often the floor) would pay for them.
    """

    def probe(_):
        with urllib.request.urlopen(base + "/healthz", timeout=60) as response:
            response.read()

    with ThreadPoolExecutor(workers * 2) as pool:
        list(pool.map(probe, range(workers * 2)))


def measure(args):
    rows = []
    print(f"{args.database}, {args.size} data set", HEADER, sep="\n", flush=True)
    for base in (args.cached, args.uncached):
        check(base + FLOOR, cached=base == args.cached)
    for name, path in pages().items():
        row = {"page": name, "path": path}
        check(args.cached + path, cached=True)
        check(args.uncached + path, cached=False)
        for mode, base in (("cached", args.cached), ("uncached", args.uncached)):
            floor = wrk(base + FLOOR, duration=args.duration, connections=8)
            settle(base)
            page = wrk(base + path, duration=args.duration, connections=8)
            settle(base)
            row[mode] = {"floor": floor, "page": page}
        floor_c1 = wrk(args.uncached + FLOOR, duration=args.duration, connections=1)
        page_c1 = wrk(args.uncached + path, duration=args.duration, connections=1)
        settle(args.uncached)
        row["latency"] = {"floor": floor_c1, "page": page_c1}
        rows.append(row)
        print(format_row(row), flush=True)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{args.database}-{args.size}.json"
    out.write_text(json.dumps(rows, indent=1))


def growth(args):
    """Latency at concurrency 1 with the large data set over the small, paired.

    Both sizes are served at once and each page is measured on one and then
    the other, three times (small first, then large first, then small), so a
    machine that slows down for a minute slows both sides of a pair. The
    ratio is the median of the three pairs'. HTML sizes are given beside it:
    some pages show more at the large size.
    """
    paths = {
        size: {row["page"]: row["path"] for row in json.loads(path.read_text())}
        for size, path in (
            ("small", RESULTS / f"{args.database}-small.json"),
            ("large", RESULTS / f"{args.database}-large.json"),
        )
    }
    bases = {"small": args.small, "large": args.large}
    rows = []
    print(f"{args.database}, latency growth from the small to the large data set")
    print(GROWTH_HEADER)
    for name, small_path in paths["small"].items():
        urls = {
            "small": args.small + small_path,
            "large": args.large + paths["large"][name],
        }
        sizes = {size: len(fetch(url)) / 1024 for size, url in urls.items()}
        pairs = []
        for order in (("small", "large"), ("large", "small"), ("small", "large")):
            p50 = {}
            for size in order:
                run = wrk(urls[size], duration=args.duration, connections=1)
                settle(bases[size])
                p50[size] = run["p50"]
            pairs.append(p50)
        row = {
            "page": name,
            "small": statistics.median(pair["small"] for pair in pairs),
            "large": statistics.median(pair["large"] for pair in pairs),
            "growth": statistics.median(
                pair["large"] / pair["small"] for pair in pairs
            ),
            "kb": sizes,
        }
        rows.append(row)
        print(format_growth(row), flush=True)
    out = RESULTS / f"{args.database}-growth.json"
    out.write_text(json.dumps(rows, indent=1))


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def format_growth(row):
    return (
        f"| {row['page']} | {row['small']:.2f} | {row['large']:.2f} "
        f"| {row['growth']:.2f}× "
        f"| {row['kb']['small']:.1f} → {row['kb']['large']:.1f} |"
    )


def format_row(row):
    cached = row["cached"]["page"]["rps"] / row["cached"]["floor"]["rps"]
    uncached = row["uncached"]["page"]["rps"] / row["uncached"]["floor"]["rps"]
    latency = row["latency"]["page"]["p50"] / row["latency"]["floor"]["p50"]
    return (
        f"| {row['page']} | {row['uncached']['page']['rps']:.0f} | {uncached:.0%} "
        f"| {row['cached']['page']['rps']:.0f} | {cached:.0%} "
        f"| {row['latency']['page']['p50']:.2f} | {row['latency']['page']['p99']:.2f} "
        f"| {latency:.1f}× |"
    )


def verdict(name, row, growth_row):
    cached = row["cached"]["page"]["rps"] / row["cached"]["floor"]["rps"]
    uncached = row["uncached"]["page"]["rps"] / row["uncached"]["floor"]["rps"]
    latency = row["latency"]["page"]["p50"] / row["latency"]["floor"]["p50"]
    misses = []
    if uncached < UNCACHED_SHARE.get(name, UNCACHED_DEFAULT):
        misses.append("uncached share")
    if cached < CACHED_SHARE:
        misses.append("cached share")
    if latency > LATENCY_MULTIPLE.get(name, LATENCY_DEFAULT):
        misses.append("latency")
    if growth_row and growth_row["growth"] > GROWTH:
        misses.append(f"latency grows {growth_row['growth']:.2f}× with size")
    return ", ".join(misses) or "all targets met"


def report():
    lines = []
    for path in sorted(RESULTS.glob("*-large.json")):
        database = path.stem.removesuffix("-large")
        rows = json.loads(path.read_text())
        growth_path = RESULTS / f"{database}-growth.json"
        growth = json.loads(growth_path.read_text()) if growth_path.exists() else []
        growth_of = {row["page"]: row for row in growth}
        floor = {
            mode: statistics.median(row[mode]["floor"][figure] for row in rows)
            for mode, figure in (
                ("uncached", "rps"),
                ("cached", "rps"),
                ("latency", "p50"),
            )
        }
        lines += [
            f"### {database}, large data set",
            "",
            f"Floor (median of its runs beside each page): "
            f"{floor['uncached']:.0f} requests/s uncached, "
            f"{floor['cached']:.0f} cached; p50 at concurrency 1 "
            f"{floor['latency']:.2f} ms. Each page is compared with the floor "
            "run just before it.",
            "",
            HEADER,
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for row in rows:
            lines.append(
                format_row(row)
                + f" {verdict(row['page'], row, growth_of.get(row['page']))} |"
            )
        if growth:
            lines += [
                "",
                f"Latency growth, {database}: concurrency 1, small and large data "
                "sets served side by side, median of three paired runs.",
                "",
                GROWTH_HEADER,
                "| --- | --- | --- | --- | --- |",
                *(format_growth(row) for row in growth),
            ]
        lines.append("")
    text = "\n".join(lines)
    (RESULTS / "latest.md").write_text(text)
    print(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--report", action="store_true")
    parser.add_argument("--growth", action="store_true")
    parser.add_argument("--small")
    parser.add_argument("--large")
    parser.add_argument("--database")
    parser.add_argument("--size")
    parser.add_argument("--cached")
    parser.add_argument("--uncached")
    parser.add_argument("--duration", type=int, default=5)
    args = parser.parse_args()
    if args.report:
        report()
    elif args.growth:
        growth(args)
    else:
        measure(args)


if __name__ == "__main__":
    main()
