"""GIN indexes over the weighted search documents, on PostgreSQL only.

Each is over the expression heseltine.search.search_vector() builds for the
kind, written out here as Django writes it (a migration keeps what it did,
whatever the application's code becomes); queries build the very same
expression, so PostgreSQL answers them from the index. SQLite gets nothing.
"""

from django.db import migrations

INDEXES = {
    "post_search_idx": (
        "blog_post",
        """
    setweight(to_tsvector('english'::regconfig, COALESCE("title", '')), 'A')
    || setweight(to_tsvector('english'::regconfig, COALESCE("standfirst", '')), 'B')
    || setweight(to_tsvector('english'::regconfig, COALESCE("body", '')), 'C')
    """,
    ),
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, (table, document) in INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX {name} ON {table} USING gin (({document}))"
            )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX {name}")



class Migration(migrations.Migration):
    dependencies = [("blog", "0002_roles")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
