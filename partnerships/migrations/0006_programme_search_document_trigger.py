"""The programme keeps a search document, with its phases' words, so that
"coordination hub" finds the programme page.

As blog migration 0005 does for posts: on PostgreSQL a trigger fills the column
on every write, and a GIN index covers it; a change to a phase makes its
programme write its document again. SQLite gets the (NULL, unused) column.
"""

from django.db import migrations

# A programme's phases as heseltine.search.programme_phase_words() writes them.
# tests/partnerships/test_search_document.py checks the two stay the same.
PHASE_WORDS = """(
    SELECT STRING_AGG(p.name || ' ' || p.purpose, ' '
        ORDER BY p.name || ' ' || p.purpose)
    FROM partnerships_phase p WHERE p.programme_id = NEW.id
)"""

DOCUMENT = f"""
    setweight(to_tsvector('english'::regconfig,
        COALESCE(NEW.name, '') || ' ' || COALESCE(NEW.short_name, '')), 'A')
    || setweight(to_tsvector('english'::regconfig,
        COALESCE(NEW.summary, '') || ' ' || COALESCE({PHASE_WORDS}, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, COALESCE(NEW.description, '')),
        'C')
"""

FORWARDS = f"""
CREATE FUNCTION partnerships_programme_search_document() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := {DOCUMENT};
    RETURN NEW;
END
$$;
CREATE TRIGGER partnerships_programme_search_document
    BEFORE INSERT OR UPDATE OF name, short_name, summary, description,
        search_document
    ON partnerships_programme
    FOR EACH ROW EXECUTE FUNCTION partnerships_programme_search_document();

CREATE FUNCTION partnerships_phase_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE partnerships_programme SET search_document = NULL
        WHERE id = OLD.programme_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE partnerships_programme SET search_document = NULL
        WHERE id = NEW.programme_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER partnerships_phase_changed
    AFTER INSERT OR DELETE OR UPDATE OF name, purpose, programme_id
    ON partnerships_phase
    FOR EACH ROW EXECUTE FUNCTION partnerships_phase_changed();

UPDATE partnerships_programme SET search_document = NULL;
CREATE INDEX programme_search_document_idx
    ON partnerships_programme USING gin (search_document);
"""

BACKWARDS = """
DROP INDEX programme_search_document_idx;
DROP TRIGGER partnerships_phase_changed ON partnerships_phase;
DROP FUNCTION partnerships_phase_changed();
DROP TRIGGER partnerships_programme_search_document ON partnerships_programme;
DROP FUNCTION partnerships_programme_search_document();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0005_programme_search_document")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
