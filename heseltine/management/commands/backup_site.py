from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from heseltine.backups import BackupError, site_backup


class Command(BaseCommand):
    help = (
        "Back up the database and every media file into a new folder, with a "
        "manifest of their checksums. See the README's Backups and restore."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            required=True,
            type=Path,
            help="A new (or empty) folder for this backup.",
        )

    def handle(self, *args, output, **options):
        try:
            manifest = site_backup(output=output)
        except BackupError as error:
            raise CommandError(error) from error
        except DatabaseError as error:
            raise CommandError(f"The database could not be used: {error}") from error
        media = manifest["media"]["files"]
        self.stdout.write(
            f"Backed up the database ({manifest['database']['server']}) and "
            f"{len(media)} media files to {output.absolute()}."
        )
