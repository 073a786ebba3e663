"""Responsive renditions of uploaded images, made once when the image is saved.

`renditions_for(field_file)` resizes the upload to a few widths, in its own
format and in WebP where WebP is smaller, and returns a manifest (a dict kept
in a JSONField beside the image). Templates render `<picture>` from the
manifest alone, so showing an image costs no file or database access.
"""

import hashlib
import io
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

WIDTHS = (320, 640, 960, 1280)
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "png"}
QUALITY = {"JPEG": 82, "WEBP": 80}


def validate_image_upload(upload):
    """Accept only real JPEG, PNG, WebP or GIF images of at most 5 MB."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            "This image is %(size)s MB; the largest we accept is 5 MB. "
            "Resize it and upload it again.",
            code="too_large",
            params={"size": round(upload.size / (1024 * 1024), 1)},
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValidationError(
            "This file is not an image we can read. Upload a JPEG, PNG, "
            "WebP or GIF file.",
            code="not_an_image",
        ) from error
    finally:
        upload.seek(position)
    if kind not in FORMATS:
        raise ValidationError(
            "Images must be JPEG, PNG, WebP or GIF, not %(kind)s.",
            code="bad_format",
            params={"kind": kind},
        )


def _encode(image, kind):
    buffer = io.BytesIO()
    options = {"optimize": True}
    if kind in QUALITY:
        options["quality"] = QUALITY[kind]
    if kind == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def renditions_for(field_file, storage=default_storage):
    """Make the renditions of an uploaded image and return their manifest."""
    field_file.open("rb")
    try:
        with Image.open(field_file) as original:
            original_kind = original.format
            image = ImageOps.exif_transpose(original)
            image.load()
    finally:
        field_file.close()
    kind = "PNG" if original_kind == "GIF" else original_kind
    if kind not in FORMATS:
        kind = "JPEG"
    if image.mode == "P":
        image = image.convert("RGBA")
    digest = hashlib.sha256(field_file.name.encode()).hexdigest()[:10]
    stem = f"renditions/{PurePosixPath(field_file.name).stem[:40]}-{digest}"
    widths = [w for w in WIDTHS if w < image.width] + [min(image.width, WIDTHS[-1])]
    sources = {kind.lower(): [], "webp": []}
    webp_smaller = True
    for width in sorted(set(widths)):
        height = round(image.height * width / image.width)
        resized = image.resize((width, height), Image.Resampling.LANCZOS)
        own = _encode(resized, kind)
        webp = _encode(resized, "WEBP")
        webp_smaller = webp_smaller and len(webp) < len(own)
        for fmt, data in ((kind, own), ("WEBP", webp)):
            name = f"{stem}-{width}w.{FORMATS[fmt]}"
            if storage.exists(name):
                storage.delete(name)
            saved = storage.save(name, ContentFile(data))
            sources[fmt.lower()].append([storage.url(saved), width])
    if not webp_smaller or kind == "WEBP":
        sources.pop("webp")
    largest = max(widths)
    return {
        "name": field_file.name,
        "width": largest,
        "height": round(image.height * largest / image.width),
        "type": f"image/{kind.lower()}",
        "sources": sources,
    }


def refreshed_renditions(field_file, manifest):
    """The manifest for `field_file`, made afresh only when the image changed.

    For a model's save(): stores a new upload first, so its renditions can be
    made before the row is written; an unchanged image keeps its manifest.
    """
    if not field_file:
        return {}
    if not field_file._committed:
        field_file.save(field_file.name, field_file.file, save=False)
    if manifest and manifest.get("name") == field_file.name:
        return manifest
    return renditions_for(field_file)
