"""Uploaded images: checked from their content, stored clean, resized once.

`validate_image_upload` accepts only real JPEG, PNG, WebP or GIF files within a
byte and a pixel budget, judged from the file's content, never its name.
`stripped_image` re-encodes an upload without its metadata (EXIF, including
GPS, and XMP), with its orientation applied, under a name whose extension comes
from the detected format: that is what every upload path stores.

`renditions_for(field_file)` resizes the stored image to a few widths, in its
own format and in WebP where WebP is smaller, and returns a manifest (a dict
kept in a JSONField beside the image). Templates render `<picture>` from the
manifest alone, so showing an image costs no file or database access.
"""

import hashlib
import io
from pathlib import PurePosixPath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.text import slugify
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

WIDTHS = (320, 640, 960, 1280)
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# 40 megapixels: a full-size photo from a 40 Mpx camera, twice what a page needs.
# Decoding costs about 4 bytes a pixel, so this bounds one upload to ~160 MB.
MAX_PIXELS = 40_000_000
# Pillow itself refuses twice this anywhere in the process (DecompressionBombError).
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "png"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
QUALITY = {"JPEG": 82, "WEBP": 80}
# What survives re-encoding: colour and transparency, never metadata.
KEPT_INFO = ("icc_profile", "transparency", "duration", "loop", "background")

NOT_AN_IMAGE = (
    "This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF file."
)
TOO_MANY_PIXELS = (
    "This image is %(width)s × %(height)s pixels%(frames)s, more than the "
    "40 megapixels we accept. Resize it and upload it again."
)


def _refuse_too_many_pixels(width, height, frames=1):
    raise ValidationError(
        TOO_MANY_PIXELS,
        code="too_many_pixels",
        params={
            "width": f"{width:,}",
            "height": f"{height:,}",
            "frames": f" in {frames} frames" if frames > 1 else "",
        },
    )


def validate_image_upload(upload):
    """Accept only real JPEG, PNG, WebP or GIF images within our budgets.

    Reads the header alone before deciding on the pixel count, so a small file
    that would decode to gigabytes is refused without decoding it. Returns the
    format Pillow detected ("JPEG", "PNG", "WEBP" or "GIF").
    """
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            "This image is %(size)s MB; the largest we accept is 5 MB. "
            "Resize it and upload it again.",
            code="too_large",
            params={"size": round(upload.size / (1024 * 1024), 1)},
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            width, height = image.size
            frames = getattr(image, "n_frames", 1)
            if width * height * frames > MAX_PIXELS:
                _refuse_too_many_pixels(width, height, frames)
            image.verify()
    except Image.DecompressionBombError as error:
        # Pillow's own limit (twice ours) tripped before the size was known.
        raise ValidationError(
            "This image has far more than the 40 megapixels we accept. "
            "Resize it and upload it again.",
            code="too_many_pixels",
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from error
    finally:
        upload.seek(position)
    if kind not in FORMATS:
        raise ValidationError(
            "Images must be JPEG, PNG, WebP or GIF, not %(kind)s.",
            code="bad_format",
            params={"kind": kind},
        )
    return kind


def stored_image_name(client_name, kind):
    """A safe file name: the client's stem, slugified, and our extension."""
    stem = slugify(PurePosixPath(client_name or "").stem)[:60] or "image"
    return f"{stem}.{EXTENSIONS[kind]}"


def stripped_image(upload, kind):
    """The upload re-encoded in its own format, with no metadata left in it.

    The orientation EXIF records is applied to the pixels first, so a photo
    from a phone stays the right way up. Animated GIFs keep their frames.
    """
    upload.seek(0)
    buffer = io.BytesIO()
    with Image.open(upload) as original:
        kept = {k: original.info[k] for k in KEPT_INFO if k in original.info}
        if kind == "GIF" and getattr(original, "n_frames", 1) > 1:
            frames = [frame.copy() for frame in ImageSequence.Iterator(original)]
            for frame in frames:
                frame.info = dict(kept)
            frames[0].save(
                buffer, "GIF", save_all=True, append_images=frames[1:], **kept
            )
            return buffer.getvalue()
        image = ImageOps.exif_transpose(original)
        image.load()
    image.info = dict(kept)
    options = dict(kept)
    if kind in QUALITY:
        # Re-encoded close to the original: this is the copy people download.
        options["quality"] = 90
    if kind == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
        image = image.convert("RGB")
    image.save(buffer, kind, **options)
    return buffer.getvalue()


class ImageFormField(forms.ImageField):
    """The admin's image field, giving our messages before Pillow's own.

    Django's ImageField opens the file itself and answers a too-large image
    with "Upload a valid image"; ours says what is wrong and what to do.
    """

    def to_python(self, data):
        if data is not None and hasattr(data, "size"):
            validate_image_upload(data)
        return super().to_python(data)


# For ModelAdmin.formfield_overrides of models with uploaded images.
IMAGE_FIELD_OVERRIDES = {"form_class": ImageFormField}


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
        # Never the upload as sent: its metadata may say where it was taken.
        kind = validate_image_upload(field_file.file)
        name = stored_image_name(field_file.name, kind)
        field_file.save(
            name, ContentFile(stripped_image(field_file.file, kind)), save=False
        )
    if manifest and manifest.get("name") == field_file.name:
        return manifest
    return renditions_for(field_file)
