"""The one rich-text field of the site, sanitised before it is stored.

CKEditor 4 runs in the admin, but nothing it sends is trusted: every value goes
through an allow-list sanitiser (nh3) on its way to the database, whatever the
path: a model's save (the admin, the demo loader, the shell), `loaddata` (a raw
save, which skips `pre_save`), `QuerySet.update()`, `bulk_create()` and
`bulk_update()` all pass through `get_db_prep_save`. Templates may mark only
these fields `|safe`. Swapping the editor is a change to this module alone.
"""

import nh3
from ckeditor_uploader.fields import RichTextUploadingField

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


class RichTextField(RichTextUploadingField):
    """CKEditor in the admin, with image upload; sanitised HTML in the database."""

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
