"""collectstatic publishes what the site and CKEditor need, and no sample pages."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """A collectstatic into a new directory (the settings signal resets storage)."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


def published(root, pattern):
    return sorted(str(path.relative_to(root)) for path in Path(root).glob(pattern))


def test_no_html_page_is_published_from_ckeditor(collected):
    assert published(collected, "ckeditor/**/*.html") == []
    assert published(collected, "ckeditor/**/tests") == []


def test_django_ckeditors_old_gallery_is_not_published(collected):
    assert published(collected, "ckeditor/galleriffic/**/*") == []


@pytest.mark.parametrize(
    "path",
    [
        "ckeditor/ckeditor/ckeditor.js",
        "ckeditor/ckeditor/config.js",
        "ckeditor/ckeditor/contents.css",
        "ckeditor/ckeditor/lang/en-gb.js",
        "ckeditor/ckeditor/skins/moono-lisa/editor.css",
        "ckeditor/ckeditor/plugins/image/dialogs/image.js",
        "ckeditor/ckeditor/plugins/divarea/plugin.js",
        "ckeditor/ckeditor/plugins/table/dialogs/table.js",
        "ckeditor/ckeditor-init.js",
        "js/ckeditor-config.js",
        "js/ckeditor-browse.js",
        "admin/js/core.js",
    ],
)
def test_what_the_editor_needs_is_published(collected, path):
    assert (collected / path).is_file()
