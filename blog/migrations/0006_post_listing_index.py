from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("blog", "0005_post_search_document")]

    operations = [
        migrations.RemoveIndex(model_name="post", name="blog_post_status_5b2843_idx"),
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                fields=["status", "-published_at", "-id"], name="post_listing_idx"
            ),
        ),
    ]
