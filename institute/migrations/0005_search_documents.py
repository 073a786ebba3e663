"""Research themes and pages keep their search document in a column, as posts do.

The tables are small, so PostgreSQL scanned them rather than use the GIN
expression indexes, and rebuilt every document from its text for each
search: 1.4 ms of a search's 1.5 ms on the benchmark set. A trigger now
fills the column on every write, as blog migration 0005 does for posts; a
GIN index covers it and the expression index goes. SQLite gets the (NULL,
unused) column and nothing else.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import migrations

# search_vector()'s document for each, as Django writes it, over the new row.
# tests/institute/test_search_documents.py checks they stay the same.
TABLES = {
    # table: (kind, old index, new index, source columns, document)
    "institute_researchtheme": (
        "theme",
        "theme_search_idx",
        "theme_search_document_idx",
        "title, question, summary, body",
        """
        setweight(to_tsvector('english'::regconfig, COALESCE(NEW.title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig,
            COALESCE(NEW.question, '') || ' ' || COALESCE(NEW.summary, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, COALESCE(NEW.body, '')), 'C')
        """,
    ),
    "institute_page": (
        "page",
        "page_search_idx",
        "page_search_document_idx",
        "title, standfirst, body",
        """
        setweight(to_tsvector('english'::regconfig, COALESCE(NEW.title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, COALESCE(NEW.standfirst, '')),
            'B')
        || setweight(to_tsvector('english'::regconfig, COALESCE(NEW.body, '')), 'C')
        """,
    ),
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, (_, old_index, new_index, columns, document) in TABLES.items():
        # Updates that touch none of the columns keep the document they have.
        schema_editor.execute(f"""
            CREATE FUNCTION {table}_search_document() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                NEW.search_document := {document};
                RETURN NEW;
            END
            $$;
            CREATE TRIGGER {table}_search_document
                BEFORE INSERT OR UPDATE OF {columns}, search_document
                ON {table} FOR EACH ROW EXECUTE FUNCTION {table}_search_document();
            UPDATE {table} SET search_document = NULL;
            CREATE INDEX {new_index} ON {table} USING gin (search_document);
            DROP INDEX {old_index};
        """)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, (_, old_index, new_index, _, document) in TABLES.items():
        schema_editor.execute(f"""
            DROP INDEX {new_index};
            DROP TRIGGER {table}_search_document ON {table};
            DROP FUNCTION {table}_search_document();
            CREATE INDEX {old_index} ON {table}
                USING gin (({document.replace("NEW.", "")}));
        """)


class Migration(migrations.Migration):
    dependencies = [("institute", "0004_person_photo_renditions")]

    operations = [
        migrations.AddField(
            model_name="researchtheme",
            name="search_document",
            field=SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="page",
            name="search_document",
            field=SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
