"""In a real browser: an image goes through CKEditor's own upload dialog.

The dialog posts by XHR with the CSRF token as a header; a refusal's message
reaches the editor in the dialog, not as a bare HTTP error.
"""

import io

import pytest
from django.contrib.auth.models import Group
from PIL import Image

from blog.roles import CONTRIBUTORS, ensure_roles
from tests.factories import UserFactory
from tests.images import image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EDITOR_READY = (
    "() => window.CKEDITOR && CKEDITOR.instances.id_body"
    " && CKEDITOR.instances.id_body.status === 'ready'"
)


@pytest.fixture
def dialog_page(browser_page):
    """The post form of a contributor, with CKEditor's image dialog open."""
    ensure_roles()
    user = UserFactory(username="connor", staff=True)
    user.groups.add(Group.objects.get(name=CONTRIBUTORS))
    page = browser_page
    page.goto("/admin/login/?next=/admin/blog/post/add/")
    page.fill("#id_username", "connor")
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/blog/post/add/")
    page.wait_for_function(EDITOR_READY)
    page.locator(".cke_button__image").click()
    page.locator(".cke_dialog_tab", has_text="Upload").click()
    return page


def send(page, name, data, mime):
    page.frame_locator(".cke_dialog_ui_input_file iframe").locator(
        "input[type=file]"
    ).set_input_files({"name": name, "mimeType": mime, "buffer": data})
    page.locator(".cke_dialog_ui_fileButton", has_text="Send it to the Server").click()


def test_an_image_uploaded_in_the_dialog_is_stored_and_placed(dialog_page):
    page = dialog_page
    send(page, "Chart.html", image_bytes(80, 60, "PNG"), "text/html")
    url = page.locator(".cke_dialog_ui_input_text input").first
    page.wait_for_function(
        "(el) => el.value.includes('/media/uploads/')", arg=url.element_handle()
    )
    address = url.input_value()
    assert address.endswith("/chart.png")
    response = page.request.get(address)
    assert response.headers["content-type"] == "image/png"
    with Image.open(io.BytesIO(response.body())) as stored:
        assert stored.size == (80, 60)


def test_a_refused_upload_says_why_in_the_dialog(dialog_page):
    page = dialog_page
    page.on("dialog", lambda dialog: dialog.accept())
    with page.expect_event("dialog") as alert:
        send(page, "notes.png", b"<script>alert(1)</script>", "image/png")
    assert alert.value.message == (
        "This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF file."
    )
