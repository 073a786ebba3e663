"""Backups are proved: a restored backup serves the same site, page for page and
file for file, and a restore refuses a target that is not empty or a backup that
is damaged before it writes anything.

The backup is made as an operator makes it, with `backup_site`; the restore and
the restored site run in their own processes, as on a server: `manage.py
restore_site` and gunicorn, given a new DATABASE_URL and MEDIA_ROOT. On
PostgreSQL the new database is made on the same server for the test and dropped
after it; on SQLite it is a new file.
"""

import contextlib
import difflib
import html
import io
import json
import re
import secrets
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import psycopg2
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client

from blog.models import Post
from heseltine.backups import media_names
from institute.models import Person
from tests.factories import PersonFactory
from tests.images import image_bytes
from tests.test_database_down import free_port, site_environment, wait_until_answering

ON_POSTGRESQL = "postgresql" in settings.DATABASES["default"]["ENGINE"]
# Admin and upload routes are not public pages; static files are not backed up
# (they come with the code); media files are compared one by one.
NOT_PAGES = ("/admin/", "/ckeditor/", "/static/", "/media/")
LINK = re.compile(
    r'(?:href|src)="([^"]*)"|srcset="([^"]*)"|<(?:loc|link)>([^<]*)</(?:loc|link)>'
)
# Pages no link leads to: the crawl starts from these as well as the home page.
STARTS = ("/", "/robots.txt", "/sitemap.xml", "/search/?q=housing")


@dataclass
class Target:
    """An empty database and media folder for a restore, in a process of its own."""

    database_url: str
    media: Path
    directory: Path
    tables_of: object

    def environment(self):
        return site_environment(self.directory, self.database_url) | {
            "MEDIA_ROOT": str(self.media)
        }

    def manage(self, *arguments):
        return subprocess.run(
            [sys.executable, "manage.py", *arguments],
            env=self.environment(),
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def tables(self):
        return self.tables_of()

    def media_files(self):
        if not self.media.exists():
            return {}
        return {
            path.relative_to(self.media).as_posix(): path.read_bytes()
            for path in self.media.rglob("*")
            if path.is_file()
        }


def server_connection(name):
    test_database = connection.settings_dict
    return psycopg2.connect(
        dbname=name,
        user=test_database["USER"],
        password=test_database["PASSWORD"],
        host=test_database["HOST"],
        port=test_database["PORT"],
    )


@contextlib.contextmanager
def new_postgresql_database():
    """A new, empty database on the test server, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restored_{secrets.token_hex(4)}"
    server = server_connection("postgres")
    server.autocommit = True
    try:
        with server.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        yield name
    finally:
        with server.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.close()


def postgresql_tables(name):
    with (
        contextlib.closing(server_connection(name)) as database,
        database.cursor() as cursor,
    ):
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public'"
        )
        return sorted(row[0] for row in cursor.fetchall())


def sqlite_tables(path):
    if not path.exists():
        return []
    with contextlib.closing(sqlite3.connect(path)) as database:
        rows = database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return sorted(row[0] for row in rows)


@pytest.fixture
def target(tmp_path):
    directory = tmp_path / "restored"
    directory.mkdir()
    media = directory / "media"
    if not ON_POSTGRESQL:
        path = directory / "site.sqlite3"
        yield Target(f"sqlite:///{path}", media, directory, lambda: sqlite_tables(path))
        return
    with new_postgresql_database() as name:
        test_database = connection.settings_dict
        credentials = quote(test_database["USER"])
        if test_database["PASSWORD"]:
            credentials += ":" + quote(test_database["PASSWORD"])
        url = (
            f"postgres://{credentials}@{test_database['HOST']}:"
            f"{test_database['PORT']}/{name}"
        )
        yield Target(url, media, directory, lambda: postgresql_tables(name))


@pytest.fixture
def content(transactional_db):
    """The demo content, committed (pg_dump reads it from another connection),
    with a post's featured image and a person's photo uploaded through their
    models' fields, so the originals are cleaned and their renditions made."""
    call_command("load_demo_content", verbosity=0)
    post = Post.objects.public().first()
    post.featured_image = SimpleUploadedFile("ferry.jpg", image_bytes(1400, 900))
    post.featured_image_alt = "A ferry crossing a river"
    post.save()
    person = Person.objects.first()
    person.photo = SimpleUploadedFile("portrait.png", image_bytes(500, 500, "PNG"))
    person.photo_alt = "A portrait"
    person.save()
    assert post.featured_image_renditions["sources"]
    return {"post": post, "person": person}


@pytest.fixture
def person(transactional_db):
    """A person with a photo (committed, so pg_dump sees them): a little content."""
    return PersonFactory(
        name="Ada Photographed",
        photo=SimpleUploadedFile("portrait.png", image_bytes(500, 500, "PNG")),
        photo_alt="A portrait",
    )


def back_up(tmp_path):
    output = tmp_path / "backup"
    call_command("backup_site", output=output, stdout=io.StringIO())
    return output


def site_path(page, link):
    """The path (and query) of a link on `page`, if it is to the site itself."""
    url = urlsplit(urljoin(settings.SITE_URL + page, link))
    if url.netloc == urlsplit(settings.SITE_URL).netloc:
        return url.path + (f"?{url.query}" if url.query else "")
    return None


def links(page, text):
    """The site's own paths that a page, sitemap or feed links to."""
    for href, srcset, xml in LINK.findall(text):
        if srcset:
            candidates = [part.split()[0] for part in srcset.split(",") if part.strip()]
        else:
            candidates = [href or xml]
        for candidate in candidates:
            if path := site_path(page, html.unescape(candidate)):
                yield path


def crawl(client):
    """Every public page reachable from `STARTS`: path -> (status, type, body)."""
    pages = {}
    queue = deque(STARTS)
    while queue:
        path = queue.popleft()
        if path is None or path in pages or path.startswith(NOT_PAGES):
            continue
        response = client.get(path)
        pages[path] = (
            response.status_code,
            response.get("Content-Type"),
            response.get("Location"),
            response.content,
        )
        if response.get("Location"):
            queue.append(site_path(path, response["Location"]))
        elif response.status_code == HTTPStatus.OK:
            queue.extend(links(path, response.content.decode()))
        assert len(pages) < 5000, "the crawl does not end"
    return pages


def fetch(url):
    """(status, content type, Location, body) of a GET, not following redirects."""

    class NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirects)
    try:
        with opener.open(url, timeout=10) as response:
            headers, status, body = response.headers, response.status, response.read()
    except urllib.error.HTTPError as error:
        headers, status, body = error.headers, error.code, error.read()
    return status, headers.get("Content-Type"), headers.get("Location"), body


@contextlib.contextmanager
def served(target):
    """The restored site, served by gunicorn with debug off, as in production."""
    port = free_port()
    log = target.directory / "gunicorn.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "heseltine.wsgi",
             "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            env=target.environment(), cwd=settings.BASE_DIR,
            stdout=output, stderr=output,
        )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_answering(f"{base}/healthz", server)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def first_difference(path, original, restored):
    lines = difflib.unified_diff(
        original[3].decode(errors="replace").splitlines(),
        restored[3].decode(errors="replace").splitlines(),
        "original",
        "restored",
        lineterm="",
    )
    return f"{path}: {original[:3]} != {restored[:3]}\n" + "\n".join(list(lines)[:40])


def test_a_restored_backup_serves_every_page_and_media_file_as_the_original(
    content, target, tmp_path
):
    backup = back_up(tmp_path)
    assert backup.stat().st_mode & 0o777 == 0o700  # it holds everything the site does
    assert not list(target.directory.glob("heseltine-content-stamp-*"))

    restore = target.manage("restore_site", str(backup))

    assert restore.returncode == 0, restore.stderr
    assert "every checksum matches" in restore.stdout
    assert "Restored the database" in restore.stdout
    # The restore renewed the stamp of the cache it was configured with.
    assert list(target.directory.glob("heseltine-content-stamp-*"))
    original = crawl(Client())
    post_page = original[content["post"].get_absolute_url()][3].decode()
    assert content["post"].featured_image_renditions["sources"]["jpeg"][0][0] in (
        post_page
    )
    for kind in ("/sitemap-", "/blog/feed/", "/blog/tag/", "/blog/archive/", "?phase="):
        assert any(kind in path for path in original), f"no {kind} page was found"
    media = {name: default_storage.open(name).read() for name in media_names()}
    assert any(name.startswith("renditions/") for name in media)

    with served(target) as base:
        restored = {path: fetch(base + path) for path in original}
        served_media = {name: fetch(f"{base}/media/{name}")[3] for name in media}

    different = [path for path in original if restored[path] != original[path]]
    assert not different, (
        f"{len(different)} of {len(original)} pages differ; the first:\n"
        + first_difference(different[0], original[different[0]], restored[different[0]])
    )
    assert target.media_files() == media
    assert served_media == media


def test_a_backup_older_than_the_site_is_restored_with_a_reminder_to_migrate(
    person, target, tmp_path
):
    recorder = MigrationRecorder(connection)
    latest = max(name for app, name in recorder.applied_migrations() if app == "blog")
    recorder.record_unapplied("blog", latest)  # as if made before it existed
    try:
        backup = back_up(tmp_path)
    finally:
        recorder.record_applied("blog", latest)

    restore = target.manage("restore_site", str(backup))

    assert restore.returncode == 0, restore.stderr
    assert "predates 1 of this version's migrations: run manage.py migrate" in (
        restore.stdout
    )


def test_a_restore_refuses_a_database_that_is_not_empty(person, tmp_path):
    backup = back_up(tmp_path)
    person.name = "Renamed after the backup"
    person.save()
    files = media_names()

    with pytest.raises(CommandError, match="database .* is not empty") as refusal:
        call_command("restore_site", str(backup), stdout=io.StringIO())

    assert "pass --replace" in str(refusal.value)
    assert "Nothing was restored" in str(refusal.value)
    assert Person.objects.get(pk=person.pk).name == "Renamed after the backup"
    assert media_names() == files


def test_a_restore_refuses_a_media_folder_that_is_not_empty(person, target, tmp_path):
    backup = back_up(tmp_path)
    target.media.mkdir()
    (target.media / "notes.txt").write_text("Someone else's file")

    restore = target.manage("restore_site", str(backup))

    assert restore.returncode == 1
    assert f"media folder {target.media} is not empty" in restore.stderr
    assert "Nothing was restored" in restore.stderr
    assert target.tables() == []
    assert target.media_files() == {"notes.txt": b"Someone else's file"}


@pytest.mark.parametrize("damaged", ["database", "media"])
def test_a_backup_with_one_byte_changed_is_refused_before_anything_is_written(
    person, target, tmp_path, damaged
):
    backup = back_up(tmp_path)
    (path,) = backup.glob("database.*" if damaged == "database" else "media.tar")
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(data)

    restore = target.manage("restore_site", str(backup))

    assert restore.returncode == 1
    assert f"{path.name} does not match its checksum" in restore.stderr
    assert "Nothing was restored" in restore.stderr
    assert target.tables() == []
    assert target.media_files() == {}
    with pytest.raises(CommandError, match=f"{path.name} does not match its checksum"):
        call_command("restore_site", str(backup), check=True, stdout=io.StringIO())


def test_a_restore_over_the_live_site_replaces_it_and_no_cached_page_outlives_it(
    person, client, tmp_path
):
    backup = back_up(tmp_path)
    url = person.get_absolute_url()
    before = client.get(url).content
    files = media_names()
    person.name = "Renamed after the backup"
    person.save()
    default_storage.save("uploads/after.png", ContentFile(image_bytes(40, 30, "PNG")))
    client.get(url)
    cached = client.get(url)
    assert cached["X-Page-Cache"] == "hit"
    assert b"Renamed after the backup" in cached.content

    out = io.StringIO()
    call_command("restore_site", str(backup), replace=True, stdout=out)

    assert "Renewed the content stamp" in out.getvalue()
    assert client.get(url).content == before
    assert Person.objects.get(pk=person.pk).name == "Ada Photographed"
    assert media_names() == files


def edit_manifest(backup, change):
    path = backup / "manifest.json"
    manifest = json.loads(path.read_text())
    change(manifest)
    path.write_text(json.dumps(manifest))


def test_a_backup_made_by_a_newer_version_of_the_site_is_refused(person, tmp_path):
    backup = back_up(tmp_path)
    edit_manifest(backup, lambda m: m["migrations"].append("blog.9999_from_later"))

    with pytest.raises(CommandError, match="made by a newer version of the site"):
        call_command("restore_site", str(backup), check=True, stdout=io.StringIO())


@pytest.mark.skipif(
    not ON_POSTGRESQL, reason="on SQLite a restore replaces the whole database file"
)
def test_a_restore_will_not_replace_a_database_with_migrations_the_backup_lacks(
    person, tmp_path
):
    backup = back_up(tmp_path)
    edit_manifest(backup, lambda m: m["migrations"].remove("blog.0001_initial"))
    person.name = "Renamed after the backup"
    person.save()

    with pytest.raises(CommandError, match="has migrations the backup has not"):
        call_command("restore_site", str(backup), replace=True, stdout=io.StringIO())

    assert Person.objects.get(pk=person.pk).name == "Renamed after the backup"


def test_a_backup_goes_only_into_a_new_or_empty_folder(transactional_db, tmp_path):
    output = tmp_path / "backup"
    output.mkdir()
    (output / "manifest.json").write_text("{}")

    with pytest.raises(CommandError, match="already exists and is not an empty"):
        call_command("backup_site", output=output, stdout=io.StringIO())

    assert [path.name for path in output.iterdir()] == ["manifest.json"]


@pytest.mark.skipif(not ON_POSTGRESQL, reason="pg_dump is used only on PostgreSQL")
def test_without_pg_dump_a_backup_fails_clearly_and_leaves_nothing(
    transactional_db, tmp_path, monkeypatch
):
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))

    with pytest.raises(CommandError, match="pg_dump was not found on the PATH"):
        call_command("backup_site", output=tmp_path / "backup", stdout=io.StringIO())

    assert not [path for path in tmp_path.iterdir() if "backup" in path.name]
