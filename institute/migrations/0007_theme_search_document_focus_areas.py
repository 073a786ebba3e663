"""A theme's search document takes in its current work (focus areas), so
"commoning" finds the theme whose current work includes it.

The focus areas' titles join the guiding question and summary (weight B). The
theme's trigger (migration 0005) now reads them; adding, changing or removing
a focus area makes its theme write its document again. PostgreSQL only:
SQLite matches the titles at query time (heseltine.search).
"""

from django.db import migrations

# A theme's focus areas as heseltine.search.theme_focus_words() writes them.
# tests/institute/test_search_documents.py checks the two stay the same.
FOCUS_WORDS = """(
    SELECT STRING_AGG(f.title, ' ' ORDER BY f.title)
    FROM institute_focusarea f WHERE f.theme_id = NEW.id
)"""

DOCUMENT = f"""
    setweight(to_tsvector('english'::regconfig, COALESCE(NEW.title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig,
        COALESCE(NEW.question, '') || ' ' || COALESCE(NEW.summary, '') || ' '
        || COALESCE({FOCUS_WORDS}, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, COALESCE(NEW.body, '')), 'C')
"""

OLD_DOCUMENT = """
    setweight(to_tsvector('english'::regconfig, COALESCE(NEW.title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig,
        COALESCE(NEW.question, '') || ' ' || COALESCE(NEW.summary, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, COALESCE(NEW.body, '')), 'C')
"""


def theme_function(document):
    return f"""
CREATE OR REPLACE FUNCTION institute_researchtheme_search_document()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := {document};
    RETURN NEW;
END
$$;
"""


# Writing NULL to the document fires the theme's own trigger, which rewrites it.
FORWARDS = (
    theme_function(DOCUMENT)
    + """
CREATE FUNCTION institute_focusarea_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE institute_researchtheme SET search_document = NULL
        WHERE id = OLD.theme_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE institute_researchtheme SET search_document = NULL
        WHERE id = NEW.theme_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER institute_focusarea_changed
    AFTER INSERT OR UPDATE OR DELETE ON institute_focusarea
    FOR EACH ROW EXECUTE FUNCTION institute_focusarea_changed();
UPDATE institute_researchtheme SET search_document = NULL;
"""
)

BACKWARDS = (
    """
DROP TRIGGER institute_focusarea_changed ON institute_focusarea;
DROP FUNCTION institute_focusarea_changed();
"""
    + theme_function(OLD_DOCUMENT)
    + "UPDATE institute_researchtheme SET search_document = NULL;"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("institute", "0006_person_is_organisation")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
