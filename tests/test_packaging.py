"""The site installs from its wheel and its lock, and runs with no checkout.

The wheel is built as `make wheel` builds it and installed into a new virtual
environment, whose dependencies are this one's (installed from the lock): the
same packages, without a second download. Everything then runs from a folder
outside the checkout, with the production settings of the README in a file
named by DJANGO_ENV_FILE, as on a server.
"""

import re
import secrets
import subprocess
import sys
import sysconfig
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.redis_server import free_port

BASE_DIR = Path(settings.BASE_DIR)
LOCKS = ("requirements.txt", "requirements-dev.txt")
HOST = "www.example.ac.uk"


def run(*command, **options):
    result = subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        **options,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def server_folder(tmp_path_factory):
    """A server's folder: a venv with the wheel installed, and its settings file."""
    root = tmp_path_factory.mktemp("server")
    run(
        sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
        "--no-build-isolation", "--wheel-dir", root / "dist", BASE_DIR,
    )  # fmt: skip
    (wheel,) = (root / "dist").glob("heseltine-*.whl")
    venv = root / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    run(
        sys.executable, "-m", "pip", "--python", python, "install", "--quiet",
        "--no-deps", "--no-index", wheel,
    )  # fmt: skip
    # The locked dependencies, as this environment has them (a .pth line adds a
    # folder to the path without reading its own .pth files, so the checkout's
    # editable install is not seen).
    site_packages = run(
        python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    ).stdout.strip()
    Path(site_packages, "locked-dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n"
    )
    env_file = root / "heseltine.env"
    env_file.write_text(
        f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}\n"
        f"DJANGO_ALLOWED_HOSTS={HOST}\n"
        f"SITE_URL=https://{HOST}\n"
        "DJANGO_BEHIND_TLS_PROXY=true\n"
        "DJANGO_SECURE_SSL_REDIRECT=true\n"
        "DJANGO_SECURE_HSTS_SECONDS=31536000\n"
        f"DATABASE_URL=sqlite:///{root / 'site.sqlite3'}\n"
        f"STATIC_ROOT={root / 'static'}\n"
        f"MEDIA_ROOT={root / 'media'}\n"
    )
    work = root / "elsewhere"
    work.mkdir()
    environment = {
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "DJANGO_ENV_FILE": str(env_file),
        # Its own content-stamp file, not the checkout's.
        "TMPDIR": str(root),
    }
    return {"root": root, "venv": venv, "work": work, "env": environment}


def heseltine(folder, *arguments):
    """The installed `heseltine` command (manage.py), run outside the checkout."""
    return run(
        folder["venv"] / "bin" / "heseltine",
        *arguments,
        cwd=folder["work"],
        env=folder["env"],
    )


def test_the_site_is_imported_from_the_wheel_not_the_checkout(server_folder):
    result = run(
        server_folder["venv"] / "bin" / "python",
        "-c",
        "import heseltine, django; print(heseltine.__file__)",
        cwd=server_folder["work"],
        env=server_folder["env"],
    )
    assert Path(result.stdout.strip()).is_relative_to(server_folder["venv"])


def test_the_installed_site_passes_the_deployment_checklist(server_folder):
    result = heseltine(server_folder, "check", "--deploy", "--fail-level", "WARNING")
    assert "no issues" in result.stdout


@pytest.fixture(scope="module")
def served(server_folder):
    """migrate, collectstatic, then gunicorn, as the README's recipe runs them."""
    heseltine(server_folder, "migrate", "--noinput", "--verbosity", "0")
    heseltine(server_folder, "collectstatic", "--noinput", "--verbosity", "0")
    port = free_port()
    log = (server_folder["root"] / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [server_folder["venv"] / "bin" / "python", "-m", "gunicorn",
         "heseltine.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=server_folder["work"], env=server_folder["env"],
        stdout=log, stderr=log,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, "gunicorn stopped"
            try:
                fetch(f"{base}/healthz")
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def fetch(url):
    """A request as nginx passes it on: for our host, over TLS."""
    request = urllib.request.Request(
        url, headers={"Host": HOST, "X-Forwarded-Proto": "https"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers, response.read()


def test_collectstatic_writes_the_manifest_of_hashed_files(server_folder, served):
    assert (server_folder["root"] / "static" / "staticfiles.json").is_file()


def test_the_installed_site_renders_a_page_with_its_templates(served):
    status, _, body = fetch(f"{served}/about/")
    assert status == 200
    assert b"Heseltine Institute" in body


def test_the_installed_site_serves_its_hashed_static_files(served):
    _, _, body = fetch(f"{served}/about/")
    stylesheet = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body)
    assert stylesheet, "no hashed stylesheet link on the page"
    status, headers, _ = fetch(served + stylesheet[1].decode())
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert "max-age=31536000" in headers["Cache-Control"]


def locked_names(path):
    text = (BASE_DIR / path).read_text()
    return {
        re.sub(r"[-_.]+", "-", name).lower()
        for name in re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==", text, re.M)
    }


def requirement_name(requirement):
    name = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_dependency_is_locked():
    project = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]
    runtime = {requirement_name(r) for r in project["dependencies"]}
    dev = {requirement_name(r) for r in project["optional-dependencies"]["dev"]}
    assert runtime - locked_names("requirements.txt") == set()
    assert (runtime | dev) - locked_names("requirements-dev.txt") == set()


@pytest.mark.parametrize("path", LOCKS)
def test_every_locked_version_is_pinned_with_hashes_from_pypi_alone(path):
    text = (BASE_DIR / path).read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    for entry in entries:
        assert re.match(r"[A-Za-z0-9._-]+==[^ ;\\]+", entry), entry
        assert "--hash=sha256:" in entry, entry
    # No index or mirror of this machine's (pip's configuration names some).
    assert not re.search(r"--(extra-)?index-url|--find-links|file:|/opt/", text)
