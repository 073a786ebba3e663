"""The sanitiser lets nothing dangerous into rich text, whatever is sent."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from heseltine.richtext import sanitise_html
from institute.models import Page
from tests.factories import PageFactory

HOSTILE = {
    "script tag": "<p>Hi</p><script>alert(1)</script>",
    "script in capitals": "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "script split by a null": "<scr\x00ipt>alert(1)</script>",
    "onerror on an image": '<img src="x.png" onerror="alert(1)">',
    "onclick on a link": '<a href="/" onclick="alert(1)">home</a>',
    "onmouseover unquoted": "<p onmouseover=alert(1)>hover</p>",
    "javascript url": '<a href="javascript:alert(1)">x</a>',
    "javascript url in mixed case": '<a href="JaVaScRiPt:alert(1)">x</a>',
    "javascript url with entities": '<a href="&#106;avascript&#58;alert(1)">x</a>',
    "javascript url with hex entities": (
        '<a href="&#x6A;&#x61;vascript:alert(1)">x</a>'
    ),
    "javascript url with whitespace": '<a href=" \tjava\nscript:alert(1)">x</a>',
    "javascript url in an image": '<img src="javascript:alert(1)">',
    "data url in a link": '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    "data url in an image": '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    "vbscript url": '<a href="vbscript:msgbox(1)">x</a>',
    "inline style": '<p style="background:url(javascript:alert(1))">x</p>',
    "style block": "<style>body{display:none}</style><p>x</p>",
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "object": '<object data="evil.swf"></object>',
    "embed": '<embed src="evil.swf">',
    "svg with script": "<svg><script>alert(1)</script></svg>",
    "svg with onload": "<svg onload=alert(1)><circle r=5></circle></svg>",
    "math with a link": '<math><a xlink:href="javascript:alert(1)">x</a></math>',
    "form": '<form action="https://evil.example/"><input name="p"><button>Go</button>'
    "</form>",
    "textarea and select": "<textarea>x</textarea><select><option>1</select>",
    "comment": "<p>x</p><!-- <script>alert(1)</script> -->",
    "conditional comment": "<!--[if IE]><script>alert(1)</script><![endif]-->",
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "base tag": '<base href="https://evil.example/">',
    "link tag": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "broken markup": '<img src=x onerror=alert(1)//<p "><script>alert(1)</script>',
    "attribute breaking out of quotes": '<a href="/" title="x" onfocus="alert(1)" x=">',
}

DANGEROUS = re.compile(
    r"<\s*(script|style|iframe|object|embed|svg|math|form|input|button|textarea"
    r"|select|meta|base|link)\b"
    r"|\bon[a-z]+\s*="
    r"|\bstyle\s*="
    r"|javascript:|vbscript:|data:"
    r"|<!--",
    re.IGNORECASE,
)


@pytest.mark.parametrize("html", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_html_loses_everything_dangerous(html):
    assert not DANGEROUS.search(sanitise_html(html))


def test_ordinary_rich_text_survives_unchanged():
    html = (
        '<h2>Findings</h2><p>Read <a href="https://example.org/r">the report</a> '
        "and <strong>act</strong>.</p><ul><li>One</li></ul>"
        '<img src="/media/uploads/chart.png" alt="A chart">'
    )
    cleaned = sanitise_html(html)
    assert "<h2>Findings</h2>" in cleaned
    assert '<a href="https://example.org/r" rel="noopener noreferrer">' in cleaned
    assert "<strong>act</strong>" in cleaned
    assert '<img src="/media/uploads/chart.png" alt="A chart">' in cleaned


def test_text_inside_removed_tags_is_kept_as_text():
    assert sanitise_html('<p>Keep <span class="x">this</span></p>') == (
        "<p>Keep this</p>"
    )


def test_empty_rich_text_stays_empty():
    assert sanitise_html(None) == ""
    assert sanitise_html("") == ""


@pytest.mark.django_db
def test_saving_a_model_stores_only_clean_html():
    page = PageFactory(body=HOSTILE["onerror on an image"] + HOSTILE["script tag"])
    page.refresh_from_db()
    assert page.body == '<img src="x.png"><p>Hi</p>'


@pytest.mark.django_db
def test_hostile_html_sent_through_the_admin_is_cleaned_before_it_is_stored(
    django_app, editor, client
):
    # Django's forms refuse null characters outright, before the sanitiser;
    # and an image without a description (tests/test_alt_text.py).
    body = "".join(html for html in HOSTILE.values() if "\x00" not in html)
    body = re.sub(r"<img\b", '<img alt="An image"', body, flags=re.IGNORECASE)
    form = django_app.get(reverse("admin:institute_page_add"), user=editor).forms[
        "page_form"
    ]
    form["title"] = "Hostile"
    form["slug"] = "hostile"
    form["standfirst"] = "An attack."
    form["body"] = body  # what a contributor's own script could send
    form["is_published"] = True
    response = form.submit("_save")
    assert response.status_code == HTTPStatus.FOUND
    stored = Page.objects.get(slug="hostile").body
    assert stored
    assert not DANGEROUS.search(stored)
    public = client.get("/hostile/").content.decode()
    main = public.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert not DANGEROUS.search(main)
