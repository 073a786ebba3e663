"""A post's search document takes in its tags, so "devolution" finds the post
tagged devolution.

The tags' names join the standfirst's words (weight B). The post's trigger
(migration 0005) now reads them; a change to a post's taggings, or a tag's
renaming, makes the posts concerned write their document again. PostgreSQL
only: SQLite matches the tags' names at query time (heseltine.search).
"""

from django.db import migrations

POST_TYPE = (
    "(SELECT c.id FROM django_content_type c "
    "WHERE c.app_label = 'blog' AND c.model = 'post')"
)

# A post's tags as heseltine.search.post_tag_words() writes them.
# tests/blog/test_search_document.py checks the two stay the same.
TAG_WORDS = f"""(
    SELECT STRING_AGG(t.name, ' ' ORDER BY t.name)
    FROM taggit_taggeditem i JOIN taggit_tag t ON t.id = i.tag_id
    WHERE i.content_type_id = {POST_TYPE} AND i.object_id = NEW.id
)"""

DOCUMENT = f"""
    setweight(to_tsvector('english'::regconfig, COALESCE(NEW.title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig,
        COALESCE(NEW.standfirst, '') || ' ' || COALESCE({TAG_WORDS}, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, COALESCE(NEW.body, '')), 'C')
"""

OLD_DOCUMENT = """
    setweight(to_tsvector('english'::regconfig, COALESCE(NEW.title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, COALESCE(NEW.standfirst, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, COALESCE(NEW.body, '')), 'C')
"""


def post_function(document):
    return f"""
CREATE OR REPLACE FUNCTION blog_post_search_document() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := {document};
    RETURN NEW;
END
$$;
"""


# Writing NULL to the document fires the post's own trigger, which rewrites it.
FORWARDS = (
    post_function(DOCUMENT)
    + f"""
CREATE FUNCTION blog_post_taggings_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.content_type_id = {POST_TYPE} THEN
        UPDATE blog_post SET search_document = NULL WHERE id = OLD.object_id;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.content_type_id = {POST_TYPE} THEN
        UPDATE blog_post SET search_document = NULL WHERE id = NEW.object_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER blog_post_taggings_changed
    AFTER INSERT OR UPDATE OR DELETE ON taggit_taggeditem
    FOR EACH ROW EXECUTE FUNCTION blog_post_taggings_changed();

CREATE FUNCTION blog_post_tag_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE blog_post SET search_document = NULL WHERE id IN (
        SELECT i.object_id FROM taggit_taggeditem i
        WHERE i.tag_id = NEW.id AND i.content_type_id = {POST_TYPE}
    );
    RETURN NULL;
END
$$;
CREATE TRIGGER blog_post_tag_renamed
    AFTER UPDATE OF name ON taggit_tag
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION blog_post_tag_renamed();

UPDATE blog_post SET search_document = NULL;
"""
)

BACKWARDS = (
    """
DROP TRIGGER blog_post_tag_renamed ON taggit_tag;
DROP FUNCTION blog_post_tag_renamed();
DROP TRIGGER blog_post_taggings_changed ON taggit_taggeditem;
DROP FUNCTION blog_post_taggings_changed();
"""
    + post_function(OLD_DOCUMENT)
    + "UPDATE blog_post SET search_document = NULL;"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0009_post_is_date_only"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
