from django.db import migrations

from heseltine.search import add_search_index


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0001_initial")]

    operations = [
        add_search_index(
            "partnership", "partnerships.Partnership", "partnership_search_idx"
        ),
    ]
