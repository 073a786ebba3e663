"""Create the Contributors and Editors groups with their permissions.

Written out here, as they were when this migration was made; blog.roles keeps
them up to date after every migrate.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_APPS = ("blog", "institute", "partnerships", "taggit")
CONTRIBUTOR_PERMISSIONS = [
    ("blog", "add_post"),
    ("blog", "change_post"),
    ("blog", "view_post"),
    ("blog", "add_postauthor"),
    ("blog", "change_postauthor"),
    ("blog", "delete_postauthor"),
    ("blog", "view_postauthor"),
    ("institute", "view_person"),
    ("institute", "view_researchtheme"),
]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for label in EDITOR_APPS:
        try:
            app_config = apps.get_app_config(label)
        except LookupError:
            continue
        # Historical app configs have no models module; create_permissions
        # skips those unless told otherwise.
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)

    contributors, _ = Group.objects.get_or_create(name="Contributors")
    wanted = Permission.objects.none()
    for app_label, codename in CONTRIBUTOR_PERMISSIONS:
        wanted |= Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        )
    contributors.permissions.set(wanted)

    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=EDITOR_APPS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("institute", "0001_initial"),
        ("blog", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
