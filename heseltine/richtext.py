"""The one rich-text field of the site, sanitised before it is stored.

Every image in it must be described for people who cannot see it: the form
refuses an image without alternative text (`validate_image_descriptions`),
and CKEditor's Image dialog asks for it (static/js/ckeditor-config.js).

CKEditor 4 runs in the admin, but nothing it sends is trusted: every value goes
through an allow-list sanitiser (nh3) on its way to the database, whatever the
path: a model's save (the admin, the demo loader, the shell), `loaddata` (a raw
save, which skips `pre_save`), `QuerySet.update()`, `bulk_create()` and
`bulk_update()` all pass through `get_db_prep_save`. Templates may mark only
these fields `|safe`. Swapping the editor is a change to this module alone.
"""

from html.parser import HTMLParser
from posixpath import basename
from urllib.parse import unquote, urlsplit

import nh3
from ckeditor_uploader.fields import RichTextUploadingField
from django.core.exceptions import ValidationError

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s",
    "sub", "sup", "blockquote", "ul", "ol", "li", "a", "img", "figure",
    "figcaption", "table", "caption", "thead", "tbody", "tfoot", "tr", "th",
    "td", "abbr", "cite", "code", "pre",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "abbr": {"title"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitise_html(html):
    """Return `html` with everything outside the allow-list removed.

    Scripts, styles, event handlers, inline `style` attributes and URLs with
    other schemes (`javascript:`, `data:`) never survive.
    """
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


class _Images(HTMLParser):
    """Collects the attributes of every <img> in a piece of HTML."""

    def __init__(self):
        super().__init__()
        self.images = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


def _image_name(src):
    return unquote(basename(urlsplit(src or "").path)) or "with no address"


def validate_image_descriptions(html):
    """Refuse rich text with an image that has no alternative text, or only spaces."""
    parser = _Images()
    parser.feed(html)
    parser.close()
    names = [
        _image_name(image.get("src"))
        for image in parser.images
        if not (image.get("alt") or "").strip()
    ]
    if not names:
        return
    if len(names) == 1:
        message = (
            "The image %(names)s has no description for people who cannot see "
            "it. Double-click it in the text and fill in “Alternative Text”."
        )
    else:
        message = (
            "%(count)d images have no description for people who cannot see "
            "them: %(names)s. Double-click each in the text and fill in "
            "“Alternative Text”."
        )
    raise ValidationError(
        message,
        code="image_without_description",
        params={"count": len(names), "names": ", ".join(names)},
    )


class RichTextField(RichTextUploadingField):
    """CKEditor in the admin, with image upload; sanitised HTML in the database."""

    default_validators = [validate_image_descriptions]

    def pre_save(self, model_instance, add):
        # The saved instance holds what the database will, for whoever uses it next.
        value = sanitise_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def get_db_prep_save(self, value, connection):
        # Every write's last step, including those that skip pre_save. nh3's
        # output is its own fixed point, so a value cleaned twice is unchanged.
        if isinstance(value, str):
            value = sanitise_html(value)
        return super().get_db_prep_save(value, connection)
