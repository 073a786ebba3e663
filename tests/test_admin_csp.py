"""The admin and CKEditor's pages have a Content-Security-Policy, and work under it.

The header is checked as each page sends it; then, in Chromium, an editor edits
a post with CKEditor (typing, an image uploaded through its dialog and one
chosen in its browser) and saves, while every policy violation the browser
reports, in the page, its frames or the browser's pop-up, is collected.
"""

import re
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from blog.models import Post
from blog.roles import EDITORS, ensure_roles
from tests.factories import PostAuthorFactory, PostFactory, UserFactory, member
from tests.images import image_bytes

PUBLIC_POLICY = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
}
STAFF_POLICY = {
    **PUBLIC_POLICY,
    "script-src": "'self' 'unsafe-hashes' "
    "'sha256-rRMdkshZyJlCmDX27XnL7g3zXaxv7ei6Sg+yt4R3svU='",
    "script-src-attr": "'unsafe-inline'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",
}


def policy(response):
    header = response["Content-Security-Policy"]
    directives = (part.strip().split(" ", 1) for part in header.split(";"))
    return dict(directives)


# --- The headers ------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/admin/", "/admin/blog/post/", "/admin/blog/post/add/", "/ckeditor/browse/"],
)
def test_staff_pages_send_the_staff_policy(client, url):
    client.force_login(member(EDITORS, "edith"))
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert policy(response) == STAFF_POLICY


@pytest.mark.django_db
def test_the_login_page_has_the_policy_before_anyone_logs_in(client):
    assert policy(client.get("/admin/login/")) == STAFF_POLICY


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/blog/", "/search/?q=x", "/no-such-page/"])
def test_the_public_policy_is_as_strict_as_before(client, url):
    from tests.factories import InstituteProfileFactory

    InstituteProfileFactory()
    assert policy(client.get(url)) == PUBLIC_POLICY


@pytest.mark.django_db
def test_uploads_keep_their_own_policy(client, media_root):
    (media_root / "uploads").mkdir(parents=True)
    (media_root / "uploads" / "x.png").write_bytes(image_bytes(4, 4, "PNG"))
    response = client.get("/media/uploads/x.png")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


# --- CKEditor and the admin at work, in Chromium ---------------------------------

EDITOR_READY = (
    "() => window.CKEDITOR && CKEDITOR.instances.id_body"
    " && CKEDITOR.instances.id_body.status === 'ready'"
)
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI} in ${document.URL}`
  );
});
"""


@pytest.fixture
def admin_page(browser, live_server):
    """A desktop tab logged in as an editor, collecting every CSP complaint."""
    ensure_roles()
    UserFactory(username="edith", staff=True).groups.add(
        Group.objects.get(name=EDITORS)
    )
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=live_server.url
    )
    context.add_init_script(WATCH_VIOLATIONS)
    complaints = []

    def on_console(message):
        if message.type == "error" or "Content Security Policy" in message.text:
            complaints.append(f"{message.text} ({message.location['url']})")

    context.on("console", on_console)
    page = context.new_page()
    page.complaints = complaints
    page.goto("/admin/login/")
    page.fill("#id_username", "edith")
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    yield page
    context.close()


def violations(page):
    found = list(page.complaints)
    for frame in page.frames:
        found += frame.evaluate("() => window.__cspViolations || []")
    return found


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_editor_edits_a_post_with_ckeditor_and_no_policy_is_violated(
    admin_page, assert_accessible
):
    page = admin_page
    post = PostFactory(title="Rivers", body="<p>First words.</p>")
    PostAuthorFactory(post=post)
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    page.wait_for_function(EDITOR_READY)

    body = page.locator(".cke_wysiwyg_div")
    body.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Typed under the policy.")
    expect(body).to_contain_text("First words. Typed under the policy.")
    page.keyboard.press("Control+End")

    # An image through the Image dialog's Upload tab.
    page.locator(".cke_button__image").click()
    page.locator(".cke_dialog_tab", has_text="Upload").click()
    page.frame_locator(".cke_dialog_ui_input_file iframe").locator(
        "input[type=file]"
    ).set_input_files(
        {
            "name": "chart.png",
            "mimeType": "image/png",
            "buffer": image_bytes(80, 60, "PNG"),
        }
    )
    page.locator(".cke_dialog_ui_fileButton", has_text="Send it to the Server").click()
    address = page.locator(".cke_dialog_ui_input_text input").first
    expect(address).to_have_value(re.compile(r"/media/uploads/.+/chart\.png$"))
    page.locator(".cke_dialog_ui_input_text input").nth(1).fill("A chart")
    page.locator(".cke_dialog_ui_button_ok").click()
    expect(body.locator("img")).to_have_count(1)

    # The same image again, chosen in CKEditor's image browser (a pop-up).
    page.keyboard.press("Control+End")
    page.locator(".cke_button__image").click()
    with page.context.expect_page() as opened:
        page.get_by_label("Image Info").get_by_role(
            "button", name="Browse Server"
        ).click()
    browser_window = opened.value
    # A pop-up opens on about:blank before it goes to its address.
    browser_window.wait_for_url("**/ckeditor/browse/**")
    browser_window.wait_for_load_state()
    assert_accessible(browser_window)
    with browser_window.expect_event("close"):
        browser_window.get_by_role("button", name="Use this image: chart.png").click()
    expect(address).to_have_value(re.compile(r"/media/uploads/.+/chart\.png$"))
    page.locator(".cke_dialog_ui_input_text input").nth(1).fill("The chart again")
    page.locator(".cke_dialog_ui_button_ok").click()
    expect(body.locator("img")).to_have_count(2)

    page.locator("input[name=_save]").click()
    page.wait_for_url("**/admin/blog/post/")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    saved = Post.objects.get(pk=post.pk).body
    assert "First words. Typed under the policy." in re.sub(r"<[^>]+>", "", saved)
    assert (
        len(re.findall(r'<img[^>]+src="/media/uploads/[^"]+/chart\.png"', saved)) == 2
    )
    found = violations(page)
    assert found == [], "\n".join(found)
