"""Uploads are untrusted: checked by content, stored clean, served inert.

Every path an image comes in by (CKEditor's upload, a post's featured image,
a person's photo) is driven as the editor's browser drives it: a multipart
POST to CKEditor's route with the CSRF token as a header, or the admin form
as rendered, submitted by django-webtest.
"""

import io
import struct
import zlib
from http import HTTPStatus

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import ExifTags, Image
from webtest import Upload

from blog.models import Post
from blog.roles import CONTRIBUTORS, EDITORS
from tests.factories import (
    PersonFactory,
    PostAuthorFactory,
    PostFactory,
    member,
)
from tests.images import image_bytes

pytestmark = pytest.mark.django_db
UPLOAD = "/ckeditor/upload/"
BROWSE = "/ckeditor/browse/"


@pytest.fixture
def contributor():
    return member(CONTRIBUTORS, "connor")


@pytest.fixture
def editor():
    return member(EDITORS, "edith")


@pytest.fixture
def browser_client(contributor):
    """A logged-in client that, like a browser, is held to the CSRF check."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(contributor)
    client.get("/admin/")  # sets the CSRF cookie, as opening the editor does
    return client


def post_upload(client, name, data):
    token = client.cookies["csrftoken"].value
    return client.post(
        UPLOAD,
        {"upload": SimpleUploadedFile(name, data)},
        headers={"X-CSRFToken": token},
    )


def stored(response):
    data = response.json()
    assert data["uploaded"] == 1, data
    path = data["url"].removeprefix("/media/")
    assert default_storage.exists(path)
    return path


def png_header_only(width, height, colour_type=6):
    """A valid PNG that claims `width` × `height` pixels in a few bytes."""

    def chunk(kind, body):
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 1024))
        + chunk(b"IEND", b"")
    )


def gif_bytes():
    buffer = io.BytesIO()
    Image.new("P", (8, 8), 3).save(buffer, "GIF")
    return buffer.getvalue()


def photo_with_location():
    """A JPEG as a phone takes it: on its side, with where it was taken."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # rotate 90° clockwise to view
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (53.0, 24.0, 21.0),
    }
    buffer = io.BytesIO()
    Image.open(io.BytesIO(image_bytes(60, 40))).save(
        buffer, "JPEG", exif=exif.tobytes()
    )
    return buffer.getvalue()


def assert_no_metadata(data):
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif(), dict(image.getexif())
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment"} & set(image.info)
        return image.size


# --- CKEditor's upload route ---------------------------------------------------


def test_only_staff_may_upload(client):
    upload = SimpleUploadedFile("a.png", image_bytes(40, 40, "PNG"))
    response = client.post(UPLOAD, {"upload": upload})
    assert response.status_code == HTTPStatus.FOUND
    assert "/admin/login/" in response["Location"]


def test_the_upload_keeps_its_csrf_check(browser_client):
    upload = SimpleUploadedFile("chart.png", image_bytes(40, 40, "PNG"))
    response = browser_client.post(UPLOAD, {"upload": upload})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not default_storage.exists("uploads")


def test_a_real_image_sent_with_the_token_is_stored(browser_client, contributor):
    response = post_upload(browser_client, "Chart 1.png", image_bytes(40, 40, "PNG"))
    path = stored(response)
    assert path.startswith(f"uploads/{contributor.pk}/")
    assert path.endswith("/chart-1.png")


@pytest.mark.parametrize("name", ["x.js", "x.html", "x.svg", "x"])
def test_the_stored_name_ends_in_the_format_found_in_the_file(browser_client, name):
    path = stored(post_upload(browser_client, name, gif_bytes()))
    assert path.endswith("/x.gif")
    response = browser_client.get(f"/media/{path}")
    assert response["Content-Type"] == "image/gif"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_no_other_upload_route_reaches_django_ckeditors_own_view(browser_client):
    token = browser_client.cookies["csrftoken"].value
    for url in (
        "/ckeditor/upload/anything",
        "/ckeditor/upload/x/",
        "/ckeditor/uploads",
    ):
        response = browser_client.post(
            url,
            {"upload": SimpleUploadedFile("x.html", gif_bytes())},
            headers={"X-CSRFToken": token},
        )
        assert response.status_code == HTTPStatus.NOT_FOUND, url


def test_a_file_that_is_not_an_image_is_refused_in_the_dialog(browser_client):
    response = post_upload(browser_client, "chart.png", b"<svg onload=alert(1)>")
    # CKEditor shows the message of a 200 answer; a 4xx it shows as a bare code.
    assert response.status_code == HTTPStatus.OK
    assert response.json()["uploaded"] == 0
    assert "not an image we can read" in response.json()["error"]["message"]


def test_an_oversized_file_is_refused_with_its_size(browser_client):
    data = image_bytes(40, 40, "PNG") + b"\0" * (5 * 1024 * 1024)
    message = post_upload(browser_client, "big.png", data).json()["error"]["message"]
    assert "largest we accept is 5 MB" in message


def test_a_decompression_bomb_is_refused_without_being_decoded(browser_client):
    bomb = png_header_only(20000, 20000)
    assert len(bomb) < 200
    response = post_upload(browser_client, "bomb.png", bomb)
    assert response.status_code == HTTPStatus.OK
    assert "40 megapixels" in response.json()["error"]["message"]
    assert not default_storage.exists("uploads")


def test_an_image_over_the_pixel_budget_is_refused_with_its_size(browser_client):
    response = post_upload(browser_client, "big.png", png_header_only(7000, 7000))
    message = response.json()["error"]["message"]
    assert "7,000 × 7,000 pixels" in message
    assert "40 megapixels" in message


def test_location_data_is_stripped_and_orientation_kept(browser_client):
    path = stored(post_upload(browser_client, "IMG_0001.JPG", photo_with_location()))
    assert path.endswith("/img_0001.jpg")
    with default_storage.open(path) as stored_file:
        # 60 × 40 on its side: stored upright, 40 wide and 60 high.
        assert assert_no_metadata(stored_file.read()) == (40, 60)


def test_an_animated_gif_keeps_its_frames(browser_client):
    colours = ("red", "green", "blue")
    frames = [Image.new("RGB", (10, 10), colour) for colour in colours]
    buffer = io.BytesIO()
    frames[0].save(
        buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0
    )
    path = stored(post_upload(browser_client, "anim.gif", buffer.getvalue()))
    with default_storage.open(path) as stored_file, Image.open(stored_file) as gif:
        assert gif.n_frames == 3


# --- CKEditor's image browser ------------------------------------------------


def test_contributors_browse_only_their_own_uploads(client, contributor, editor):
    other = member(CONTRIBUTORS, "olwen")
    for user, name in ((contributor, "mine.png"), (other, "theirs.png")):
        client.force_login(user)
        client.get("/admin/")
        stored(post_upload(client, name, image_bytes(40, 40, "PNG")))

    client.force_login(contributor)
    page = client.get(BROWSE).content.decode()
    assert "mine.png" in page
    assert "theirs.png" not in page

    client.force_login(editor)
    page = client.get(BROWSE).content.decode()
    assert "mine.png" in page
    assert "theirs.png" in page


def test_only_staff_may_browse(client):
    response = client.get(BROWSE)
    assert response.status_code == HTTPStatus.FOUND


# --- Images uploaded through the admin's forms ------------------------------


def post_with_author():
    post = PostFactory(title="Rivers")
    PostAuthorFactory(post=post)
    return post


def submit_featured_image(django_app, editor, post, name, data):
    form = django_app.get(f"/admin/blog/post/{post.pk}/change/", user=editor).forms[
        "post_form"
    ]
    form["featured_image"] = Upload(name, data)
    form["featured_image_alt"] = "A view of the Mersey"
    return form.submit("_continue", user=editor)


def test_a_featured_image_is_stored_clean_under_a_name_from_its_content(
    django_app, editor
):
    post = post_with_author()
    # A JPEG under a PNG's name: stored as what it is.
    response = submit_featured_image(
        django_app, editor, post, "photo.png", photo_with_location()
    )
    assert response.status_code == HTTPStatus.FOUND, response.text
    post = Post.objects.get(pk=post.pk)
    assert post.featured_image.name.startswith("blog/photo")
    assert post.featured_image.name.endswith(".jpg")
    with post.featured_image.open("rb") as original:
        assert assert_no_metadata(original.read()) == (40, 60)
    # The renditions are made from the clean copy, upright.
    assert (
        post.featured_image_renditions["height"]
        > post.featured_image_renditions["width"]
    )


@pytest.mark.parametrize(
    ("width", "height", "message"),
    [
        # 177 megapixels in a few bytes: once took a worker to 2.1 GB.
        (13300, 13300, "far more than the 40 megapixels"),
        (7000, 7000, "7,000 × 7,000 pixels"),
    ],
)
def test_a_featured_image_over_the_pixel_budget_is_refused_clearly(
    django_app, editor, width, height, message
):
    post = post_with_author()
    response = submit_featured_image(
        django_app, editor, post, "huge.png", png_header_only(width, height)
    )
    assert response.status_code == HTTPStatus.OK
    assert message in response.text
    assert not Post.objects.get(pk=post.pk).featured_image


def test_a_persons_photo_loses_its_location_data(django_app, editor):
    editor.is_superuser = True
    editor.save()
    person = PersonFactory(name="Ada Example")
    form = django_app.get(
        f"/admin/institute/person/{person.pk}/change/", user=editor
    ).forms["person_form"]
    form["photo"] = Upload("me.jpeg", photo_with_location())
    form["photo_alt"] = "Ada, smiling"
    response = form.submit("_continue", user=editor)
    assert response.status_code == HTTPStatus.FOUND, response.text
    person.refresh_from_db()
    assert person.photo.name.endswith(".jpg")
    with person.photo.open("rb") as original:
        assert_no_metadata(original.read())
    form = django_app.get(
        f"/admin/institute/person/{person.pk}/change/", user=editor
    ).forms["person_form"]
    form["photo"] = Upload("huge.png", png_header_only(7000, 7000))
    response = form.submit("_continue", user=editor)
    assert "7,000 × 7,000 pixels" in response.text
