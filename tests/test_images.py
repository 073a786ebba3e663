"""Uploaded images: validated, resized once into renditions, shown responsively."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile
from django.template import engines

from heseltine.images import renditions_for, validate_image_upload
from tests.images import image_bytes


def stored_file(name, data):
    from institute.models import Person

    saved = default_storage.save(name, ContentFile(data))
    return FieldFile(Person(), Person._meta.get_field("photo"), saved)


def test_a_real_image_passes_validation():
    upload = SimpleUploadedFile("photo.png", image_bytes(40, 30, "PNG"))
    validate_image_upload(upload)
    assert upload.tell() == 0


def test_a_file_that_is_not_an_image_is_refused_clearly():
    upload = SimpleUploadedFile("photo.jpg", b"<?php echo 'not an image'; ?>")
    with pytest.raises(ValidationError, match="not an image we can read"):
        validate_image_upload(upload)


def test_an_image_over_five_megabytes_is_refused_with_its_size():
    upload = SimpleUploadedFile("big.png", image_bytes(40, 30, "PNG"))
    upload.size = 6 * 1024 * 1024
    with pytest.raises(ValidationError, match="This image is 6.0 MB"):
        validate_image_upload(upload)


def test_an_image_format_we_do_not_serve_is_refused():
    upload = SimpleUploadedFile("photo.bmp", image_bytes(40, 30, "BMP"))
    with pytest.raises(ValidationError, match="not BMP"):
        validate_image_upload(upload)


def test_renditions_are_made_at_each_width_up_to_the_original():
    manifest = renditions_for(stored_file("people/wide.jpg", image_bytes(1000, 500)))
    assert manifest["width"] == 1000
    assert manifest["height"] == 500
    assert [width for _, width in manifest["sources"]["jpeg"]] == [320, 640, 960, 1000]
    for url, _ in manifest["sources"]["jpeg"]:
        assert default_storage.exists(url.removeprefix("/media/"))


def test_webp_is_offered_only_where_it_is_smaller():
    photo = renditions_for(stored_file("people/photo.jpg", image_bytes(700, 400)))
    assert "webp" in photo["sources"]
    flat_png = renditions_for(
        stored_file("people/flat.png", image_bytes(700, 400, "PNG", photo=False))
    )
    sizes = {
        fmt: sum(
            default_storage.size(url.removeprefix("/media/")) for url, _ in entries
        )
        for fmt, entries in flat_png["sources"].items()
    }
    assert "webp" not in sizes or sizes["webp"] < sizes["png"]


def render(template, manifest):
    template = '{% from "includes/picture.html" import picture %}' + template
    return engines["jinja2"].from_string(template).render({"manifest": manifest})


def test_the_picture_tag_renders_srcset_sizes_dimensions_and_lazy_loading(
    monkeypatch,
):
    manifest = renditions_for(stored_file("people/p.jpg", image_bytes(700, 350)))
    # Showing the image must not touch storage: renditions are made once.
    monkeypatch.setattr(default_storage, "save", pytest.fail)
    monkeypatch.setattr(default_storage, "exists", pytest.fail)
    html = render(
        "{{ picture(manifest, 'A portrait', '(min-width: 40rem) 20rem') }}", manifest
    )
    assert 'width="700" height="350"' in html
    assert 'alt="A portrait"' in html
    assert 'loading="lazy"' in html
    assert 'sizes="(min-width: 40rem) 20rem"' in html
    assert " 320w, " in html
    assert " 700w" in html
    assert '<source type="image/webp"' in html


def test_the_picture_markup_is_exactly_this():
    manifest = {
        "width": 640,
        "height": 320,
        "sources": {
            "jpeg": [["/media/a-320w.jpg", 320], ["/media/a-640w.jpg", 640]],
            "webp": [["/media/a-320w.webp", 320], ["/media/a-640w.webp", 640]],
        },
    }
    html = render(
        "{{ picture(manifest, 'Ann & Bo', '10rem', lazy=False, css_class='x') }}",
        manifest,
    )
    assert html == (
        "<picture>\n"
        '  <source type="image/webp" srcset="/media/a-320w.webp 320w, '
        '/media/a-640w.webp 640w" sizes="10rem">\n'
        '  <img src="/media/a-640w.jpg" srcset="/media/a-320w.jpg 320w, '
        '/media/a-640w.jpg 640w" sizes="10rem" width="640" height="320" '
        'alt="Ann &amp; Bo" class="x" decoding="async">\n'
        "</picture>"
    )


def test_an_image_above_the_fold_is_not_lazy():
    manifest = renditions_for(stored_file("people/q.jpg", image_bytes(400, 200)))
    html = render("{{ picture(manifest, 'A', lazy=False) }}", manifest)
    assert "loading=" not in html


def test_no_manifest_renders_nothing():
    html = render("{{ picture(None, 'A') }}", None)
    assert html.strip() == ""


@pytest.mark.django_db
def test_a_persons_photo_gets_renditions_once_and_the_page_shows_them(client):
    from institute.models import Person
    from tests.factories import PersonFactory

    person = PersonFactory(
        photo=SimpleUploadedFile("ada.jpg", image_bytes(800, 800)),
        photo_alt="Ada smiling",
    )
    manifest = person.photo_renditions
    assert [w for _, w in manifest["sources"]["jpeg"]] == [320, 640, 800]

    person.bio = "Now with a biography."
    person.save()
    assert Person.objects.get(pk=person.pk).photo_renditions == manifest

    html = client.get(person.get_absolute_url()).content.decode()
    assert 'alt="Ada smiling"' in html
    assert 'width="800" height="800"' in html
    assert "srcset=" in html
