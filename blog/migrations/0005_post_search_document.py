"""Posts keep their search document in a column, so search ranks by reading it.

With the document only an indexed expression, ts_rank rebuilt it from every
matching post's text: 5.6 s for a word all 10,000 bench posts contain. On
PostgreSQL a trigger fills the column on every write (save, bulk_create,
QuerySet.update, raw SQL), a GIN index covers it and the expression index
goes. SQLite gets the (NULL, unused) column and nothing else.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import migrations

# search_vector()'s document for posts, as Django writes it, over the new row.
# tests/blog/test_search_document.py checks the two stay the same.
DOCUMENT = """
    setweight(to_tsvector('english'::regconfig, COALESCE(NEW.title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, COALESCE(NEW.standfirst, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, COALESCE(NEW.body, '')), 'C')
"""

# Updates that touch none of these columns (status, renditions) keep the
# document they have; one that writes the document itself gets it recomputed.
FORWARDS = f"""
CREATE FUNCTION blog_post_search_document() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := {DOCUMENT};
    RETURN NEW;
END
$$;
CREATE TRIGGER blog_post_search_document
    BEFORE INSERT OR UPDATE OF title, standfirst, body, search_document
    ON blog_post FOR EACH ROW EXECUTE FUNCTION blog_post_search_document();
UPDATE blog_post SET search_document = NULL;
CREATE INDEX post_search_document_idx ON blog_post USING gin (search_document);
DROP INDEX post_search_idx;
"""

BACKWARDS = f"""
DROP INDEX post_search_document_idx;
DROP TRIGGER blog_post_search_document ON blog_post;
DROP FUNCTION blog_post_search_document();
CREATE INDEX post_search_idx ON blog_post USING gin (({DOCUMENT.replace("NEW.", "")}));
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("blog", "0004_post_featured_image_renditions")]

    operations = [
        migrations.AddField(
            model_name="post",
            name="search_document",
            field=SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
