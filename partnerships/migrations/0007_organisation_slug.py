"""Organisations get an address of their own: /organisations/<slug>/."""

from django.db import migrations, models
from django.utils.text import slugify


def fill_slugs(apps, schema_editor):
    Organisation = apps.get_model("partnerships", "Organisation")
    taken = set()
    for organisation in Organisation.objects.order_by("pk"):
        base = slugify(organisation.name)[:190] or "organisation"
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        organisation.slug = slug
        organisation.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0006_programme_search_document_trigger")]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="slug",
            field=models.SlugField(max_length=200, null=True, db_index=False),
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organisation",
            name="slug",
            field=models.SlugField(
                blank=True,
                help_text="The last part of its address: /organisations/<slug>/. "
                "Made from the name when left empty.",
                max_length=200,
                unique=True,
            ),
        ),
    ]
