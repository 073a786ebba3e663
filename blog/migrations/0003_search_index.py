from django.db import migrations

from heseltine.search import add_search_index


class Migration(migrations.Migration):
    dependencies = [("blog", "0002_roles")]

    operations = [add_search_index("post", "blog.Post", "post_search_idx")]
