"""Real image files for tests of uploads and renditions."""

import io

from PIL import Image, ImageDraw, ImageFilter


def image_bytes(width, height, kind="JPEG", photo=True):
    """A photo-like picture (gradient, soft shapes) or a flat colour."""
    image = Image.new("RGB", (width, height), (59, 31, 91))
    if photo:
        image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
        draw = ImageDraw.Draw(image)
        for x in range(0, width, 50):
            draw.ellipse([x, x / 3, x + 80, x / 3 + 60], fill=(200, x % 255, 90))
        image = image.filter(ImageFilter.GaussianBlur(2))
    buffer = io.BytesIO()
    image.save(buffer, kind)
    return buffer.getvalue()
