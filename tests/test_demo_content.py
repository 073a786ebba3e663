"""The demo loader builds the site from the seeds, and is idempotent."""

import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db

DEMO_APPS = ("institute", "blog", "partnerships", "taggit")


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
