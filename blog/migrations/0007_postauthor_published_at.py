import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_publication_times(apps, schema_editor):
    Post = apps.get_model("blog", "Post")
    PostAuthor = apps.get_model("blog", "PostAuthor")
    posts = Post.objects.filter(pk=OuterRef("post_id"), status="published")
    PostAuthor.objects.update(published_at=Subquery(posts.values("published_at")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0006_post_listing_index"),
        ("institute", "0005_search_documents"),
    ]

    # The new index leads with person and the unique constraint with post, so
    # the foreign keys' single-column indexes go.
    operations = [
        migrations.AddField(
            model_name="postauthor",
            name="published_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.RunPython(copy_publication_times, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="postauthor",
            index=models.Index(
                fields=["person", "-published_at", "-post"],
                name="postauthor_listing_idx",
            ),
        ),
        migrations.AlterField(
            model_name="postauthor",
            name="post",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="post_authors",
                to="blog.post",
            ),
        ),
        migrations.AlterField(
            model_name="postauthor",
            name="person",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="post_authors",
                to="institute.person",
            ),
        ),
    ]
