import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from blog.roles import EDITORS, ensure_roles


class Command(BaseCommand):
    help = (
        "Make sure the demo editor account exists and print its login. The "
        "password is DJANGO_EDITOR_PASSWORD if set, otherwise a new random one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor")

    def handle(self, *args, username, **options):
        password = os.environ.get("DJANGO_EDITOR_PASSWORD") or secrets.token_urlsafe(12)
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={"first_name": "Demo", "last_name": "Editor"},
        )
        user.is_staff = True
        user.is_active = True
        user.set_password(password)
        user.save()
        ensure_roles()
        user.groups.add(Group.objects.get(name=EDITORS))
        self.stdout.write(
            self.style.SUCCESS(
                f"Editor login: http://127.0.0.1:8000/admin/  "
                f"username: {username}  password: {password}"
            )
        )
