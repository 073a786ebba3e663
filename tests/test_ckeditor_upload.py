"""Images uploaded through CKEditor are checked like every other upload."""

from http import HTTPStatus

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import UserFactory
from tests.images import image_bytes

pytestmark = pytest.mark.django_db
URL = "/ckeditor/upload/"


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(staff=True))
    return client


def test_only_staff_may_upload(client):
    upload = SimpleUploadedFile("a.png", image_bytes(40, 40, "PNG"))
    response = client.post(URL, {"upload": upload})
    assert response.status_code == HTTPStatus.FOUND
    assert "/admin/login/" in response["Location"]


def test_a_real_image_is_stored_and_its_address_returned(staff_client):
    upload = SimpleUploadedFile("chart.png", image_bytes(40, 40, "PNG"))
    response = staff_client.post(URL, {"upload": upload})
    data = response.json()
    assert data["uploaded"] == "1"
    assert default_storage.exists(data["url"].removeprefix("/media/"))


def test_a_file_that_is_not_an_image_is_refused_with_a_message(staff_client):
    upload = SimpleUploadedFile("chart.png", b"<svg onload=alert(1)>")
    response = staff_client.post(URL, {"upload": upload})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "not an image we can read" in response.json()["error"]["message"]


def test_an_oversized_image_is_refused_in_the_upload_dialog(staff_client):
    data = image_bytes(40, 40, "PNG")
    upload = SimpleUploadedFile("big.png", data + b"\0" * (5 * 1024 * 1024))
    response = staff_client.post(f"{URL}?CKEditorFuncNum=3", {"upload": upload})
    body = response.content.decode()
    assert "CKEDITOR.tools.callFunction(3, ''" in body
    assert "largest we accept is 5 MB" in body
