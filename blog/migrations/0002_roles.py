"""Create the Contributors and Editors groups with their permissions."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from blog.roles import ensure_roles

    ensure_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("institute", "0001_initial"),
        ("blog", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
