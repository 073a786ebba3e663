"""Backups of the whole site (database and media), and restores that verify them.

A backup is a folder of three files:

- `manifest.json`: when and from what it was made, the migrations its database
  has, and the size and SHA-256 of the database dump, of the media archive and
  of every media file in it;
- `database.dump` (PostgreSQL: pg_dump's custom format) or `database.sqlite3`
  (SQLite: a copy made with SQLite's online backup API);
- `media.tar`: every file of the default storage, read through Django's storage
  API, so it works whatever the storage is.

A restore checks every checksum, and that this version of the site can use the
backup, before it writes anything, and then goes only into an empty database
and an empty media storage unless told to replace what is there. Either way it
renews the content stamp, so no page cached before the restore is served.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.core.cache import cache
from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import default_storage, storages
from django.core.files.utils import validate_file_name
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format

from heseltine.cache import bump_content_stamp

FORMAT = "heseltine-backup/1"
MANIFEST = "manifest.json"
MEDIA = "media.tar"
CHUNK = 1024 * 1024
# A media file larger than this goes through a temporary file, not memory.
SPOOL = 16 * 1024 * 1024
# Connection options of Django's PostgreSQL settings that libpq also reads from
# the environment (the rest are given the same way: nothing secret in argv).
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


def _size(size):
    return filesizeformat(size).replace("\xa0", " ")


def _copy(source, target=None):
    """Read `source` to its end, writing it to `target` if given: (size, SHA-256)."""
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if target is not None:
            target.write(chunk)
    return size, digest.hexdigest()


def media_names():
    """Every file in the default storage, sorted (none before its first upload)."""

    def walk(directory):
        try:
            directories, files = default_storage.listdir(directory)
        except FileNotFoundError:
            if directory:
                raise
            return  # MEDIA_ROOT is made by the first upload
        for name in files:
            yield directory + name
        for subdirectory in directories:
            yield from walk(f"{directory}{subdirectory}/")

    return sorted(walk(""))


def _media_description():
    storage = storages["default"]
    try:
        return f"media folder {storage.path('')}"
    except NotImplementedError:  # a storage with no local folder (S3, say)
        bucket = getattr(storage, "bucket_name", None)
        where = f", bucket {bucket}" if bucket else ""
        return f"media storage ({type(storage).__name__}{where})"


def _applied_migrations():
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


class PostgreSQL:
    """Dumps with pg_dump and restores with pg_restore, found on the PATH."""

    dump_name = "database.dump"
    # pg_restore --clean drops only the objects that are in the dump.
    replaces_everything = False

    def __init__(self):
        self.settings = connection.settings_dict

    def __str__(self):
        host = self.settings["HOST"] or "the local socket"
        port = f":{self.settings['PORT']}" if self.settings["PORT"] else ""
        return f'PostgreSQL database "{self.settings["NAME"]}" on {host}{port}'

    def server_version(self):
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"

    def _environment(self):
        """libpq's variables for the site's database: the password never in argv."""
        values = {
            "PGHOST": self.settings["HOST"],
            "PGPORT": self.settings["PORT"],
            "PGUSER": self.settings["USER"],
            "PGPASSWORD": self.settings["PASSWORD"],
            "PGDATABASE": self.settings["NAME"],
        }
        options = self.settings.get("OPTIONS", {})
        for option, variable in LIBPQ_OPTIONS.items():
            values[variable] = options.get(option)
        given = {name: str(value) for name, value in values.items() if value}
        return os.environ | given

    def _run(self, program, *arguments):
        path = shutil.which(program)
        if path is None:
            raise BackupError(
                f"{program} was not found on the PATH. Install PostgreSQL's client "
                "programs, of the server's major version or newer (on Debian: "
                "apt-get install postgresql-client-15), or add their folder to PATH."
            )
        try:
            # An argument list with no shell; the program is PostgreSQL's own.
            result = subprocess.run(  # noqa: S603
                [path, *arguments],
                env=self._environment(),
                capture_output=True,
                text=True,
                check=False,
            )
        except OSError as error:
            raise BackupError(f"{program} could not be run: {error}") from error
        if result.returncode != 0:
            raise BackupError(
                f"{program} failed (exit status {result.returncode}):\n"
                + (result.stderr.strip() or "(it said nothing)")
            )
        return result.stdout

    def dump(self, path):
        # Without owners or privileges, so it restores under any role.
        self._run(
            "pg_dump", "--format=custom", "--no-owner", "--no-privileges",
            f"--file={path}",
        )  # fmt: skip

    def check(self, path):
        """Make sure this machine's pg_restore reads the dump (no database needed)."""
        self._run("pg_restore", "--list", str(path))

    def restore(self, path, *, replace):
        arguments = [
            # pg_restore, not pg_dump, applies these to a custom-format dump.
            "--no-owner", "--no-privileges",
            # All or nothing: a failed restore leaves the database as it was.
            "--single-transaction", "--exit-on-error",
            f"--dbname={self.settings['NAME']}",
        ]  # fmt: skip
        if replace:
            arguments += ["--clean", "--if-exists"]
        self._run("pg_restore", *arguments, str(path))
        # The tables may have been replaced under this connection's feet.
        connection.close()


class SQLite:
    """Copies with SQLite's online backup API, in both directions."""

    dump_name = "database.sqlite3"
    # The backup API copies the whole database over the target.
    replaces_everything = True

    def __str__(self):
        return f'SQLite database "{connection.settings_dict["NAME"]}"'

    def server_version(self):
        return f"SQLite {sqlite3.sqlite_version}"

    def dump(self, path):
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()

    def check(self, path):
        """Make sure the copy is a sound SQLite database."""
        copy = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            result = copy.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as error:
            result = str(error)
        finally:
            copy.close()
        if result != "ok":
            raise BackupError(f"{path.name} is not a sound SQLite database: {result}")

    def restore(self, path, *, replace):
        connection.ensure_connection()
        copy = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            copy.backup(connection.connection)
        finally:
            copy.close()


def site_database():
    """The site's database, as backups see it."""
    if connection.vendor == "postgresql":
        return PostgreSQL()
    if connection.vendor == "sqlite":
        return SQLite()
    raise BackupError(
        f"Backups support PostgreSQL and SQLite; this site uses {connection.vendor}."
    )


def _media_to_archive(path, created_at):
    """Write every media file into a tar at `path`; return each one's entry."""
    entries = []
    with tarfile.open(path, "w") as archive:
        for name in media_names():
            with (
                default_storage.open(name, "rb") as source,
                tempfile.SpooledTemporaryFile(SPOOL) as copy,
            ):
                size, sha256 = _copy(source, copy)
                copy.seek(0)
                member = tarfile.TarInfo(name)
                member.size = size
                member.mtime = int(created_at.timestamp())
                member.mode = 0o644
                archive.addfile(member, copy)
            entries.append({"name": name, "size": size, "sha256": sha256})
    return entries


def _file_entry(path):
    with path.open("rb") as file:
        size, sha256 = _copy(file)
    return {"size": size, "sha256": sha256}


def site_backup(*, output):
    """Back up the database and every media file into the new folder `output`.

    The backup is written beside it under a temporary name and renamed when
    complete, so a folder of that name is always a whole backup. The folder is
    readable by its owner only. Returns the manifest.
    """
    output = Path(output).absolute()
    if output.exists() and (not output.is_dir() or any(output.iterdir())):
        raise BackupError(
            f"{output} already exists and is not an empty folder: "
            "give each backup a new folder."
        )
    database = site_database()
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{output.name}-", dir=output.parent))
    except OSError as error:
        raise BackupError(f"Cannot make the folder {output}: {error}") from error
    try:
        created_at = timezone.now()
        dump = work / database.dump_name
        database.dump(dump)
        media_files = _media_to_archive(work / MEDIA, created_at)
        manifest = {
            "format": FORMAT,
            "created_at": created_at.isoformat(),
            "database": {
                "vendor": connection.vendor,
                "server": database.server_version(),
                **_file_entry(dump),
            },
            "migrations": _applied_migrations(),
            "media": {**_file_entry(work / MEDIA), "files": media_files},
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n")
        if output.exists():
            output.rmdir()
        work.rename(output)
    except (OSError, sqlite3.Error) as error:
        shutil.rmtree(work, ignore_errors=True)
        raise BackupError(f"The backup could not be made: {error}") from error
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


@dataclass(frozen=True)
class Backup:
    """A backup whose every checksum has been checked."""

    directory: Path
    created_at: datetime
    vendor: str
    server: str
    database_size: int
    migrations: list
    media_files: list

    @property
    def media_size(self):
        return sum(entry["size"] for entry in self.media_files)

    def __str__(self):
        made = date_format(timezone.localtime(self.created_at), "j F Y, H:i")
        return (
            f"the backup made {made} "
            f"({self.server} database, {_size(self.database_size)}; "
            f"{len(self.media_files)} media files, {_size(self.media_size)})"
        )


def _damaged(directory, problem):
    return BackupError(
        f"The backup in {directory} is damaged or incomplete: {problem}. "
        "Nothing was restored; use another copy of it."
    )


def _check_file(directory, name, entry):
    path = directory / name
    try:
        actual = _file_entry(path)
    except FileNotFoundError:
        raise _damaged(directory, f"{name} is missing") from None
    if actual != {"size": entry["size"], "sha256": entry["sha256"]}:
        raise _damaged(directory, f"{name} does not match its checksum")


def _check_media_archive(directory, files):
    expected = {entry["name"]: entry for entry in files}
    seen = set()
    try:
        with tarfile.open(directory / MEDIA, "r:") as archive:
            for member in archive:
                entry = expected.get(member.name)
                if entry is None or member.name in seen or not member.isreg():
                    raise _damaged(
                        directory, f"{MEDIA} holds {member.name!r}, not in the manifest"
                    )
                seen.add(member.name)
                size, sha256 = _copy(archive.extractfile(member))
                if (size, sha256) != (entry["size"], entry["sha256"]):
                    raise _damaged(
                        directory, f"{member.name} does not match its checksum"
                    )
    except tarfile.TarError as error:
        raise _damaged(directory, f"{MEDIA} cannot be read ({error})") from error
    if missing := sorted(expected.keys() - seen):
        raise _damaged(directory, f"{MEDIA} lacks {missing[0]}")


def backup_verify(directory):
    """The backup in `directory`, once every file in it matches its checksum.

    Also makes sure each media file's name is one the storage accepts, and that
    this machine can read the database dump, so a restore fails before it
    starts rather than half-way.
    """
    directory = Path(directory)
    if not (directory / MANIFEST).is_file():
        raise BackupError(
            f"{directory} holds no {MANIFEST}: it is not a backup made by "
            "backup_site, or not a whole one."
        )
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
        if manifest["format"] != FORMAT:
            raise BackupError(
                f"The backup in {directory} is in a format this version of the site "
                f"does not read ({manifest['format']!r}, not {FORMAT!r})."
            )
        database, media = manifest["database"], manifest["media"]
        backup = Backup(
            directory=directory,
            created_at=datetime.fromisoformat(manifest["created_at"]),
            vendor=database["vendor"],
            server=database["server"],
            database_size=database["size"],
            migrations=list(manifest["migrations"]),
            media_files=list(media["files"]),
        )
        kind = {"postgresql": PostgreSQL, "sqlite": SQLite}[backup.vendor]
        _check_file(directory, kind.dump_name, database)
        _check_file(directory, MEDIA, media)
        for entry in backup.media_files:
            validate_file_name(entry["name"], allow_relative_path=True)
        _check_media_archive(directory, backup.media_files)
    except (KeyError, TypeError, ValueError, SuspiciousFileOperation) as error:
        raise _damaged(directory, f"its {MANIFEST} cannot be read ({error})") from error
    return backup


def _check_compatible(backup, database):
    if backup.vendor != connection.vendor:
        raise BackupError(
            f"This is a backup of a {backup.server} database, but this site uses "
            f"{connection.vendor} (DATABASE_URL): restore it into a database of "
            "the kind it came from."
        )
    database.check(backup.directory / database.dump_name)
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    if newer := sorted(set(backup.migrations) - {f"{a}.{n}" for a, n in known}):
        raise BackupError(
            "The backup was made by a newer version of the site: its database has "
            f"migrations this version does not know ({', '.join(newer[:3])}"
            f"{', …' if len(newer) > 3 else ''}). Restore it with the version "
            "that made it."
        )


def _check_target(backup, database, *, replace):
    tables = connection.introspection.table_names()
    files = media_names()
    if not replace:
        problems = []
        if tables:
            problems.append(
                f"The {database} is not empty: it has {len(tables)} tables "
                f"({', '.join(tables[:3])}, …)."
            )
        if files:
            problems.append(
                f"The {_media_description()} is not empty: it holds "
                f"{len(files)} files ({files[0]}, …)."
            )
        if problems:
            raise BackupError(
                " ".join(problems) + " Restore into an empty database and an empty "
                "media storage, or pass --replace to replace what they hold "
                "(see the README's Backups and restore). Nothing was restored."
            )
    elif (
        tables
        and not database.replaces_everything
        and (extra := sorted(set(_applied_migrations()) - set(backup.migrations)))
    ):
        raise BackupError(
            f"The {database} has migrations the backup has not "
            f"({', '.join(extra[:3])}{', …' if len(extra) > 3 else ''}): "
            "replacing its contents would leave their tables behind. Restore "
            "into an empty database instead. Nothing was restored."
        )


def _restore_media(backup, *, replace):
    if replace:
        for name in media_names():
            default_storage.delete(name)
    expected = {entry["name"]: entry for entry in backup.media_files}
    with tarfile.open(backup.directory / MEDIA, "r:") as archive:
        for member in archive:
            entry = expected[member.name]
            with tempfile.SpooledTemporaryFile(SPOOL) as copy:
                size, sha256 = _copy(archive.extractfile(member), copy)
                if (size, sha256) != (entry["size"], entry["sha256"]):
                    raise _damaged(
                        backup.directory, f"{member.name} changed since it was checked"
                    )
                copy.seek(0)
                saved = default_storage.save(member.name, File(copy))
            if saved != member.name:
                raise BackupError(
                    f"The media storage kept {member.name} as {saved}: something "
                    "else is writing to it."
                )


def _pending_migrations():
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def site_restore(*, directory, replace=False, check_only=False, report=print):
    """Verify the backup in `directory`, then restore it into the site.

    Refuses a database or media storage that is not empty, unless `replace`.
    `report` is given a line for each thing done.
    """
    database = site_database()
    backup = backup_verify(directory)
    _check_compatible(backup, database)
    report(f"Checked {backup}: every checksum matches.")
    if check_only:
        return backup
    _check_target(backup, database, replace=replace)

    database.restore(backup.directory / database.dump_name, replace=replace)
    report(f"Restored the database into the {database}.")
    try:
        _restore_media(backup, replace=replace)
    except Exception as error:
        raise BackupError(
            f"The database is restored, but the media files could not be: {error} "
            "Once that is put right, run restore_site again with --replace."
        ) from error
    report(
        f"Restored {len(backup.media_files)} media files "
        f"({_size(backup.media_size)}) into the {_media_description()}."
    )

    try:
        bump_content_stamp()
    except Exception as error:
        raise BackupError(
            f"The site is restored, but its content stamp could not be renewed "
            f"({error}), so pages cached before the restore may still be served. "
            "Clear the site's cache once it answers again."
        ) from error
    prefix = f' (cache key prefix "{cache.key_prefix}")' if cache.key_prefix else ""
    report(
        f"Renewed the content stamp{prefix}: no page cached before the restore "
        "will be served."
    )
    if pending := _pending_migrations():
        report(
            f"The backup predates {len(pending)} of this version's migrations: "
            "run manage.py migrate before starting the site."
        )
    return backup
