from django import template

register = template.Library()


@register.inclusion_tag("includes/picture.html")
def picture(manifest, alt, sizes="100vw", lazy=True, css_class=""):
    """A responsive <picture> from a renditions manifest (see heseltine.images).

    `lazy=False` for an image above the fold, so it is fetched at once.
    """
    if not manifest:
        return {}
    sources = dict(manifest["sources"])
    webp = sources.pop("webp", None)
    fallback = next(iter(sources.values()))
    return {
        "webp": webp,
        "fallback": fallback,
        "fallback_src": fallback[-1][0] if len(fallback) == 1 else fallback[1][0],
        "width": manifest["width"],
        "height": manifest["height"],
        "alt": alt,
        "sizes": sizes,
        "lazy": lazy,
        "css_class": css_class,
    }
