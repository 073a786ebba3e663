"""Anonymous pages through Varnish against nginx serving a file of the same size.

    .venv/bin/python bench/edge.py                    # 5 s a run, 3 rounds
    .venv/bin/python bench/edge.py --duration 2 --rounds 1 --connections 16

The site runs as deploy/ has it: gunicorn (2 sync workers, debug off, the
demo content in a SQLite file of its own, REDIS_URL at a redis-server the
script starts) behind varnishd with deploy/varnish/default.vcl (its backends'
ports changed, FRONTEND_CACHE_URLS naming it). For each page, nginx serves a
file of the page's own bytes from a folder, and wrk drives the two in turn,
in the same run, at the same concurrency: Varnish, nginx, Varnish, nginx...
The ratio is of the best of each page's rounds. Needs Debian's varnish,
nginx, redis-server and wrk.
"""

import argparse
import getpass
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from statistics import median

BASE_DIR = Path(__file__).resolve().parent.parent
VCL = BASE_DIR / "deploy" / "varnish" / "default.vcl"
PAGES = {
    "home": "/",
    "about": "/about/",
    "people": "/people/",
    "blog list": "/blog/",
    "post": None,  # the first post in the list
    "partnerships": "/partnerships/",
}
TARGET = 0.8


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers, response.read()


def wait_for(url, process, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{process.args[0]} stopped: {process.returncode}")
        try:
            fetch(url)
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"nothing answered at {url}")


def wrk(url, duration, connections):
    """Requests a second wrk measured at `url`."""
    output = subprocess.run(
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    if "Non-2xx" in output:
        sys.exit(f"wrk saw errors at {url}:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


class Processes:
    def __init__(self):
        self.running = []

    def start(self, command, log, **kwargs):
        with open(log, "w") as output:
            process = subprocess.Popen(
                command, stdout=output, stderr=output, start_new_session=True,
                **kwargs,
            )  # fmt: skip
        self.running.append(process)
        return process

    def stop(self):
        for process in reversed(self.running):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()


def nginx_config(root, port):
    return (
        f"user {getpass.getuser()};\n"
        "worker_processes auto;\n"
        f"pid {root}/nginx.pid;\n"
        f"error_log {root}/nginx-error.log;\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        "    include /etc/nginx/mime.types;\n"
        "    access_log off;\n"
        "    sendfile on;\n"
        "    tcp_nopush on;\n"
        + "".join(
            f"    {kind}_temp_path {root}/{kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + f"    server {{ listen 127.0.0.1:{port}; root {root}/files; }}\n"
        "}\n"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds a run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    for program in ("wrk", "varnishd", "nginx", "redis-server"):
        if not shutil.which(program) and not Path(f"/usr/sbin/{program}").exists():
            sys.exit(f"{program} is not installed (apt-get install {program})")

    root = Path(tempfile.mkdtemp(prefix="heseltine-edge-bench-"))
    processes = Processes()
    try:
        app_port, varnish_port, nginx_port, redis_port = (free_port() for _ in "abcd")
        processes.start(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(redis_port),
             "--save", "", "--appendonly", "no"],
            root / "redis.log",
        )  # fmt: skip
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("DJANGO_")
            and key not in {"DATABASE_URL", "CACHE_URL", "REDIS_URL"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE="heseltine.settings",
            DJANGO_DEBUG="false",
            DJANGO_SECRET_KEY="benchmark-only-not-secret",
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,www.example.ac.uk",
            DJANGO_SECURE_COOKIES="false",
            DJANGO_LOG_LEVEL="ERROR",
            DJANGO_STATICFILES_STORAGE=(
                "django.contrib.staticfiles.storage.StaticFilesStorage"
            ),
            DATABASE_URL=f"sqlite:///{root / 'site.sqlite3'}",
            REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
            FRONTEND_CACHE_URLS=f"http://127.0.0.1:{varnish_port}",
            TMPDIR=str(root),
        )
        print("--- loading the demo content")
        for command in (["migrate"], ["load_demo_content"]):
            subprocess.run(
                [sys.executable, "manage.py", *command], env=env, cwd=BASE_DIR,
                check=True, capture_output=True,
            )  # fmt: skip
        app = processes.start(
            [sys.executable, "-m", "gunicorn", "heseltine.wsgi",
             "--bind", f"127.0.0.1:{app_port}", "--workers", "2"],
            root / "gunicorn.log", env=env, cwd=BASE_DIR,
        )  # fmt: skip
        wait_for(f"http://127.0.0.1:{app_port}/healthz", app)

        vcl = VCL.read_text()
        for shipped in ('.port = "8000";', '.port = "8001";'):
            vcl = vcl.replace(shipped, f'.port = "{app_port}";')
        (root / "default.vcl").write_text(vcl)
        varnish = processes.start(
            ["varnishd", "-F", "-j", "none", "-n", root / "varnish",
             "-a", f"127.0.0.1:{varnish_port}", "-T", "none",
             "-f", root / "default.vcl", "-s", "malloc,64m"],
            root / "varnishd.log",
        )  # fmt: skip
        edge = f"http://127.0.0.1:{varnish_port}"
        wait_for(f"{edge}/healthz", varnish)

        _, blog = fetch(f"{edge}/blog/")
        post = re.search(rb'href="(/blog/[a-z0-9-]+/)"', blog)
        PAGES["post"] = post.group(1).decode()
        (root / "files").mkdir()
        sizes = {}
        for path in PAGES.values():
            fetch(edge + path)
        # The first pages took a new content stamp (a worker's first contact
        # with Redis), whose BAN is followed by another a moment later.
        time.sleep(1.5)
        for name, path in PAGES.items():
            fetch(edge + path)
            headers, body = fetch(edge + path)
            if headers["X-Cache"] != "HIT":
                sys.exit(f"Varnish did not keep {path}: X-Cache {headers['X-Cache']}")
            sizes[name] = len(body)
            # The page's own bytes: the same size, as a file.
            (root / "files" / f"{name.replace(' ', '-')}.html").write_bytes(body)
        (root / "nginx.conf").write_text(nginx_config(root, nginx_port))
        nginx = processes.start(
            ["nginx", "-c", root / "nginx.conf", "-g", "daemon off;"],
            root / "nginx.log",
        )  # fmt: skip
        wait_for(f"http://127.0.0.1:{nginx_port}/home.html", nginx)

        print(
            f"--- wrk, {args.connections} connections, {args.duration} s a run, "
            f"{args.rounds} rounds; load average {os.getloadavg()[0]:.1f}"
        )
        rows = []
        for name, path in PAGES.items():
            static = f"http://127.0.0.1:{nginx_port}/{name.replace(' ', '-')}.html"
            through, direct = [], []
            for _ in range(args.rounds):
                through.append(wrk(edge + path, args.duration, args.connections))
                direct.append(wrk(static, args.duration, args.connections))
            ratio = max(through) / max(direct)
            rows.append((name, sizes[name], max(through), max(direct), ratio))
            print(f"{name}: Varnish {max(through):.0f}/s, nginx {max(direct):.0f}/s")

        print(f"\nLoad average at the end: {os.getloadavg()[0]:.1f}\n")
        print("| page | bytes | Varnish req/s | nginx req/s (file) | ratio |")
        print("| --- | --- | --- | --- | --- |")
        for name, size, through, direct, ratio in rows:
            print(f"| {name} | {size} | {through:.0f} | {direct:.0f} | {ratio:.2f} |")
        overall = median(row[4] for row in rows)
        print(f"\nMedian ratio {overall:.2f} (target {TARGET})")
        return 0 if overall >= TARGET else 1
    finally:
        processes.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
