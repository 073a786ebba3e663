"""Uploaded PDFs: judged from their content, never their name or browser's type.

A file must start with the PDF signature, end with its end-of-file marker, and
parse: pypdf reads its cross-reference table and every page. An HTML page or an
image renamed .pdf, or a file that only starts with "%PDF-", is refused with a
message an editor can act on.
"""

import logging

from django.core.exceptions import ValidationError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

MAX_PDF_MB = 20
MAX_PDF_BYTES = MAX_PDF_MB * 1024 * 1024
# The signature may follow a little junk (the specification allows 1 KB).
SIGNATURE_WITHIN = 1024
NOT_A_PDF = (
    "This file is not a PDF we can read. Upload the publication saved or "
    "exported as a PDF file."
)

# pypdf warns through logging about every oddity of a file it can still read.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def validate_pdf_upload(upload):
    """Accept only a real PDF of at most MAX_PDF_MB megabytes."""
    if upload.size > MAX_PDF_BYTES:
        raise ValidationError(
            "This file is %(size)s MB; the largest PDF we accept is %(max)s MB. "
            "Make it smaller (for example, with smaller images) and upload it again.",
            code="too_large",
            params={"size": round(upload.size / (1024 * 1024), 1), "max": MAX_PDF_MB},
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        head = upload.read(SIGNATURE_WITHIN)
        if b"%PDF-" not in head:
            raise ValidationError(NOT_A_PDF, code="not_a_pdf")
        upload.seek(max(0, upload.size - 1024))
        if b"%%EOF" not in upload.read():
            raise ValidationError(NOT_A_PDF, code="not_a_pdf")
        upload.seek(0)
        try:
            reader = PdfReader(upload, strict=False)
            if reader.is_encrypted:
                raise ValidationError(
                    "This PDF is protected by a password. Upload a copy without "
                    "one, so that everyone can read it.",
                    code="encrypted",
                )
            if not len(reader.pages):
                raise ValidationError(NOT_A_PDF, code="not_a_pdf")
            for page in reader.pages:
                page.mediabox  # noqa: B018 (reading it parses the page)
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise ValidationError(NOT_A_PDF, code="not_a_pdf") from error
    finally:
        upload.seek(position)
