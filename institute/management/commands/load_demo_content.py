from django.core.management.base import BaseCommand
from django.db import transaction

from blog import demo as blog_demo
from institute import demo as institute_demo
from partnerships import demo as partnerships_demo
from work import demo as work_demo


class Command(BaseCommand):
    help = (
        "Load the demo content built from the seed documents. Idempotent: "
        "running it again changes nothing."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            for demo in (institute_demo, blog_demo, partnerships_demo, work_demo):
                demo.load()
        self.stdout.write(self.style.SUCCESS("Demo content is loaded."))
