from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from heseltine.backups import BackupError, site_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_site into an empty database and an "
        "empty media storage, after checking every checksum. See the README's "
        "Backups and restore."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="The folder backup_site made.")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check the backup's checksums and that this site can "
            "restore it; nothing is written.",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Restore even though the database or media storage holds "
            "something: what they hold is replaced by the backup's.",
        )

    def handle(self, *args, backup, check, replace, **options):
        try:
            site_restore(
                directory=backup,
                replace=replace,
                check_only=check,
                report=self.stdout.write,
            )
        except BackupError as error:
            raise CommandError(error) from error
        except DatabaseError as error:
            raise CommandError(f"The database could not be used: {error}") from error
