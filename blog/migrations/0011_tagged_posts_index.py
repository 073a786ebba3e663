"""An index for a tag's posts on PostgreSQL, which the tag archive joins by.

Django joins a post (a bigint id) to its taggings (taggit's integer object_id)
on object_id::bigint, which taggit's own index on object_id cannot serve.
This one covers the join, led by the tag: a rare tag's posts are read from
it, and a busy tag's are probed in it as the posts are walked newest first.
SQLite joins without the cast, on taggit's index.
"""

from django.db import migrations

INDEX = "blog_tagged_post_idx"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {INDEX} ON taggit_taggeditem "
            "(tag_id, content_type_id, (object_id::bigint))"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0010_search_document_tags"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
