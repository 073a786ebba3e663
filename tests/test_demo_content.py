"""The demo loader builds the site from the seeds, and is idempotent."""

import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db

DEMO_APPS = ("institute", "blog", "partnerships", "work", "taggit")


def snapshot():
    """Every row of the site's content, as comparable values."""
    rows = {}
    for app_label in DEMO_APPS:
        for model in apps.get_app_config(app_label).get_models():
            fields = [
                field.attname
                for field in model._meta.concrete_fields
                if not getattr(field, "auto_now", False)
            ]
            rows[model._meta.label] = sorted(
                model.objects.values_list(*fields), key=repr
            )
    return rows


def test_loading_the_demo_content_twice_leaves_the_same_rows():
    call_command("load_demo_content", verbosity=0)
    first = snapshot()
    call_command("load_demo_content", verbosity=0)
    assert snapshot() == first
    assert first["institute.InstituteProfile"], "the demo made no profile"


def test_ensure_editor_makes_a_staff_editor_and_prints_the_login(capsys):
    from django.contrib.auth import get_user_model

    call_command("ensure_editor")
    call_command("ensure_editor")
    out = capsys.readouterr().out
    user = get_user_model().objects.get(username="editor")
    assert user.is_staff
    assert user.groups.filter(name="Editors").exists()
    password = out.strip().splitlines()[-1].rsplit("password: ", 1)[1]
    assert user.check_password(password)


def test_the_demo_says_only_what_the_seeds_say(client):
    from blog.models import Post
    from partnerships.models import Organisation, Partnership

    call_command("load_demo_content", verbosity=0)
    # The seed names no author for these two posts: no byline at all.
    for slug in [
        "things-might-actually-get-better-future-for-levelling-up",
        "insecure-work-and-local-economic-performance",
    ]:
        post = Post.objects.get(slug=slug)
        assert not post.post_authors.exists()
        assert "By " not in client.get(post.get_absolute_url()).content.decode()
    # The seed links no partnership to the institute's themes.
    assert not Partnership.themes.through.objects.exists()
    assert Organisation.objects.filter(
        short_name="NCCPE",
        name="National Coordinating Centre for Public Participation",
    ).exists()
    from institute.models import Page

    about = client.get(Page.objects.get(slug="about-us").get_absolute_url())
    assert "civic participation and digital technology" in about.content.decode()
