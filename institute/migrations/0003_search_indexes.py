from django.db import migrations

from heseltine.search import add_search_index


class Migration(migrations.Migration):
    dependencies = [("institute", "0002_help_texts_reserved_page_slugs_and_more")]

    operations = [
        add_search_index("theme", "institute.ResearchTheme", "theme_search_idx"),
        add_search_index("person", "institute.Person", "person_search_idx"),
        add_search_index("page", "institute.Page", "page_search_idx"),
    ]
