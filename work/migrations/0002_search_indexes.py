"""GIN indexes over the weighted search documents, on PostgreSQL only.

Each is over the expression heseltine.search.search_vector() builds for the
kind, written out as Django writes it (as in institute 0003): queries build
the very same expression, so PostgreSQL answers them from the index.
"""

from django.db import migrations

INDEXES = {
    "project_search_idx": (
        "work_project",
        """
    setweight(to_tsvector('english'::regconfig, COALESCE("title", '')), 'A')
    || setweight(to_tsvector('english'::regconfig, COALESCE("summary", '')), 'B')
    || setweight(to_tsvector('english'::regconfig, COALESCE("body", '')), 'C')
    """,
    ),
    "publication_search_idx": (
        "work_publication",
        """
    setweight(to_tsvector('english'::regconfig, COALESCE("title", '')), 'A')
    || setweight(to_tsvector('english'::regconfig, COALESCE("summary", '')), 'B')
    || setweight(to_tsvector('english'::regconfig, COALESCE("credit", '')), 'C')
    """,
    ),
    "event_search_idx": (
        "work_event",
        """
    setweight(to_tsvector('english'::regconfig, COALESCE("title", '')), 'A')
    || setweight(to_tsvector('english'::regconfig,
        COALESCE("summary", '') || ' ' || COALESCE("venue", '')), 'B')
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
    dependencies = [("work", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
