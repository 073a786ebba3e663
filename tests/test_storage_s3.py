"""Media in an S3-compatible bucket: uploads, renditions, links and backups.

A local S3-compatible server (moto's server mode) is started for the module,
on a free loopback port, and each test gets a bucket of its own, configured
as DJANGO_MEDIA_STORAGE=s3 configures it (heseltine.storage). Uploads come in
as an editor's browser sends them (the admin form as rendered, CKEditor's
multipart POST with the CSRF token as a header); links are followed over
HTTP to the bucket; a backup is restored by `manage.py restore_site` in a
process of its own into a new database and a new bucket.
"""

import json
import secrets
import urllib.request
from http import HTTPStatus

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from webtest import Upload

from blog.models import Post
from blog.roles import CONTRIBUTORS, EDITORS
from heseltine.storage import MEDIA_CACHE_CONTROL, s3_storage
from tests.factories import PostAuthorFactory, PostFactory, member
from tests.images import image_bytes
from tests.redis_server import free_port
from tests.test_backup_restore import back_up, content, target  # noqa: F401

REGION = "eu-west-2"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's S3-compatible server on a free loopback port."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def new_bucket(endpoint):
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
    name = f"heseltine-media-{secrets.token_hex(4)}"
    client.create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    # Anyone may read, as the README asks of the site's bucket; no one may list.
    client.put_bucket_policy(Bucket=name, Policy=public_read(name))
    return client, name


def public_read(name):
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{name}/*",
                }
            ],
        }
    )


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    """A new bucket as the site's media storage: (boto3 client, bucket name)."""
    import ckeditor_uploader.utils
    import ckeditor_uploader.views

    for variable, value in CREDENTIALS.items():
        monkeypatch.setenv(variable, value)
    client, name = new_bucket(s3_endpoint)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(bucket=name, endpoint_url=s3_endpoint, region=REGION),
    }
    # django-ckeditor takes its storage once, when imported, as a server does
    # at start; here the settings change between tests.
    monkeypatch.setattr(ckeditor_uploader.utils, "storage", default_storage)
    monkeypatch.setattr(ckeditor_uploader.views, "storage", default_storage)
    return client, name


def objects(client, name):
    """Every object in the bucket: key -> (bytes, Content-Type, Cache-Control)."""
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=name):
        for item in page.get("Contents", []):
            got = client.get_object(Bucket=name, Key=item["Key"])
            found[item["Key"]] = (
                got["Body"].read(),
                got["ContentType"],
                got.get("CacheControl"),
            )
    return found


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers, response.read()


@pytest.fixture
def editor(db):
    return member(EDITORS, "edith")


@pytest.mark.django_db
def test_a_featured_image_uploaded_in_the_admin_is_stored_in_the_bucket(
    bucket, django_app, editor, s3_endpoint
):
    client, name = bucket
    post = PostFactory(title="Rivers", published=True)
    PostAuthorFactory(post=post)
    form = django_app.get(f"/admin/blog/post/{post.pk}/change/", user=editor).forms[
        "post_form"
    ]
    # A JPEG under a PNG's name: stored, and typed, as what it is.
    form["featured_image"] = Upload("ferry.png", image_bytes(1400, 900))
    form["featured_image_alt"] = "A ferry crossing the Mersey"
    assert form.submit("_continue", user=editor).status_code == HTTPStatus.FOUND

    post = Post.objects.get(pk=post.pk)
    stored = objects(client, name)
    assert post.featured_image.name.endswith(".jpg")
    assert stored[post.featured_image.name][1:] == ("image/jpeg", MEDIA_CACHE_CONTROL)
    renditions = {key for key in stored if key.startswith("renditions/")}
    assert len(renditions) >= 4
    for key in renditions:
        kind = "image/webp" if key.endswith(".webp") else "image/jpeg"
        assert stored[key][1] == kind, key


@pytest.mark.django_db
def test_the_public_page_links_to_renditions_the_bucket_serves(
    bucket, client, s3_endpoint
):
    _, name = bucket
    post = PostFactory(title="Rivers", published=True)
    PostAuthorFactory(post=post)
    post.featured_image = SimpleUploadedFile("ferry.jpg", image_bytes(800, 500))
    post.featured_image_alt = "A ferry crossing the Mersey"
    post.save()

    page = client.get(post.get_absolute_url()).content.decode()
    urls = [url for url, _ in post.featured_image_renditions["sources"]["jpeg"]]
    assert urls[0].startswith(f"{s3_endpoint}/{name}/renditions/")
    for url in urls:
        assert url in page
        status, headers, body = fetch(url)
        assert status == HTTPStatus.OK
        assert headers["Content-Type"] == "image/jpeg"
        assert body.startswith(b"\xff\xd8")


@pytest.fixture
def contributor(db):
    return member(CONTRIBUTORS, "connor")


def editor_browser(user):
    """A logged-in client held to the CSRF check, as the editor's browser is."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    browser.get("/admin/")
    return browser


def ckeditor_upload(browser, filename, data):
    return browser.post(
        "/ckeditor/upload/",
        {"upload": SimpleUploadedFile(filename, data)},
        headers={"X-CSRFToken": browser.cookies["csrftoken"].value},
    ).json()


def test_ckeditor_uploads_go_to_the_bucket_and_its_browser_lists_them(
    bucket, contributor, s3_endpoint
):
    client, name = bucket
    browser = editor_browser(contributor)
    answer = ckeditor_upload(browser, "chart.png", image_bytes(300, 200, "PNG"))
    assert answer["uploaded"] == 1, answer
    key = answer["url"].removeprefix(f"{s3_endpoint}/{name}/")
    assert key.startswith(f"uploads/{contributor.pk}/")
    assert key.endswith("/chart.png")
    assert objects(client, name)[key][1] == "image/png"
    status, headers, _ = fetch(answer["url"])
    assert (status, headers["Content-Type"]) == (HTTPStatus.OK, "image/png")

    listing = browser.get("/ckeditor/browse/").content.decode()
    assert answer["url"] in listing


def test_an_upload_never_replaces_another_of_the_same_name(bucket, contributor):
    client, name = bucket
    browser = editor_browser(contributor)
    first = ckeditor_upload(browser, "chart.png", image_bytes(40, 40, "PNG"))
    second = ckeditor_upload(browser, "chart.png", image_bytes(60, 60, "PNG"))
    assert first["url"] != second["url"]
    assert len([key for key in objects(client, name) if "chart" in key]) == 4


def test_ckeditor_browse_shows_a_contributor_only_their_own_bucket_folder(
    bucket, contributor
):
    other = member(CONTRIBUTORS, "olwen")
    ckeditor_upload(editor_browser(other), "theirs.png", image_bytes(40, 40, "PNG"))
    mine = editor_browser(contributor)
    ckeditor_upload(mine, "mine.png", image_bytes(40, 40, "PNG"))

    listing = mine.get("/ckeditor/browse/").content.decode()
    assert "mine.png" in listing
    assert "theirs.png" not in listing


def test_a_backup_of_the_bucket_restores_into_a_new_bucket(
    bucket,
    content,  # noqa: F811
    target,  # noqa: F811
    s3_endpoint,
    tmp_path,
):
    client, name = bucket
    backup = back_up(tmp_path)
    _, restored_name = new_bucket(s3_endpoint)
    s3_settings = {
        "DJANGO_MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": restored_name,
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": REGION,
        **CREDENTIALS,
    }
    target.environment = lambda base=target.environment: base() | s3_settings

    check = target.manage("restore_site", "--check", str(backup))
    assert check.returncode == 0, check.stderr
    restore = target.manage("restore_site", str(backup))
    assert restore.returncode == 0, restore.stderr
    assert f"media storage (S3Storage, bucket {restored_name})" in restore.stdout

    original = objects(client, name)
    assert len(original) >= 8
    assert objects(client, restored_name) == original
    again = target.manage("restore_site", str(backup))
    assert again.returncode != 0
    assert "is not empty" in again.stderr
