"""Plain text as the site stores and writes it: without invisible junk.

Editors paste from Word, PDFs and email. Some of what comes with the text is
not text: Word's soft line break is U+000B, and stray control characters or
Unicode non-characters (U+FFFE) ride along unseen. XML 1.0 forbids most of
them, so one such title would take down every feed, and none of them is ever
meant. `clean_text` removes them; every text field of the content apps goes
through it before it is saved (`connect_cleaning`), and the feed writers
(heseltine.feeds) through it again on the way out.
"""

import re

from django.apps import apps
from django.db import models
from django.db.models.signals import pre_save

from heseltine.cache import CONTENT_APPS

# Word's soft line break (U+000B) and page break (U+000C) are line breaks the
# editor meant, so they are kept as one, not dropped (which would join words).
_BREAKS = re.compile("[\v\f]")
_LINE_BREAKS = re.compile("\r\n|[\r\n\v\f]")

# C0 controls but tab, line feed and carriage return, and DEL; surrogates,
# which cannot be written as UTF-8 at all; and the Unicode non-characters
# (U+FDD0 to U+FDEF and the last two code points of every plane).
_NOT_TEXT = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(
        chr(plane | 0xFFFE) + chr(plane | 0xFFFF)
        for plane in range(0, 0x110000, 0x10000)
    )
    + "]"
)


def clean_text(value, *, single_line=False):
    """Return `value` without control characters or non-characters.

    U+000B and U+000C become a line break, or a space in `single_line` text,
    where every line break becomes a space: a one-line input cannot show one
    (browsers silently drop it from the field, joining the words either side).
    The result is always text XML 1.0 allows.
    """
    value = (_LINE_BREAKS if single_line else _BREAKS).sub(
        " " if single_line else "\n", value
    )
    return _NOT_TEXT.sub("", value)


def clean_text_fields(sender, instance, **kwargs):
    """Clean every text field of `instance` before it is saved.

    A pre_save receiver rather than a save() method: loaddata saves "raw",
    skipping save() but not this signal.
    """
    for field in sender._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, str):
            single_line = isinstance(field, models.CharField)
            setattr(instance, field.attname, clean_text(value, single_line=single_line))


def connect_cleaning():
    """Clean the text fields of every model of the content apps as it is saved."""
    for model in apps.get_models():
        if model._meta.app_label in CONTENT_APPS:
            pre_save.connect(
                clean_text_fields,
                sender=model,
                dispatch_uid=f"clean-text-{model._meta.label}",
            )
