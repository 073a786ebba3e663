"""Parts of pages written in Python: breadcrumbs, structured data, pagination
and responsive images.

Each returns markup-safe HTML for the public templates (see heseltine.jinja2),
its values escaped. Python rather than template code where a page repeats the
part, or where the part is mostly logic.
"""

from django.core.paginator import Paginator
from django.utils.html import json_script
from jinja2 import pass_context
from markupsafe import Markup, escape

from heseltine.links import url_for


@pass_context
def breadcrumbs(context, *trail):
    """Visible breadcrumbs and their schema.org BreadcrumbList.

    Takes label, URL pairs from Home downwards, then the current page's label:
    `breadcrumbs("Blog", blog_url, post.title)`. Home is added first.
    """
    site_url = context.get("site_url", "")
    request = context.get("request")
    *pairs, current = trail
    crumbs = [("Home", url_for("institute:home"))]
    crumbs += list(zip(pairs[::2], pairs[1::2], strict=True))
    current_url = request.path if request else ""
    items = [
        {
            "@type": "ListItem",
            "position": position,
            "name": str(label),
            "item": f"{site_url}{url}",
        }
        for position, (label, url) in enumerate(
            [*crumbs, (current, current_url)], start=1
        )
    ]
    data = {"@context": "https://schema.org", "@type": "BreadcrumbList"}
    data["itemListElement"] = items
    links = "".join(
        f'<li><a href="{escape(url)}">{escape(label)}</a></li>' for label, url in crumbs
    )
    return Markup(
        '<nav class="breadcrumbs wrap" aria-label="Breadcrumb"><ol>'
        f'{links}<li><span aria-current="page">{escape(current)}</span></li>'
        f"</ol></nav>\n{json_ld(data)}"
    )


def json_ld(data):
    """A schema.org JSON-LD block, escaped so no value can close the script."""
    # json_script escapes <, > and &; keep its escaping, change only the type.
    script = json_script(data)
    body = script[script.index(">") + 1 : script.rindex("</script>")]
    return Markup(f'<script type="application/ld+json">{body}</script>')


def page_links(page_obj, query=""):
    """The list items of a pagination: previous, page numbers with gaps, next.

    The numbers are the ends and two either side of this page, a fixed number
    however many pages there are. `query` is the URL-encoded query string
    without "page".
    """
    prefix = escape(f"?{query}&page=" if query else "?page=")
    items = []
    if page_obj.has_previous():
        items.append(
            f'<li><a href="{prefix}{page_obj.previous_page_number()}" rel="prev">'
            'Previous<span class="visually-hidden"> page</span></a></li>'
        )
    numbers = page_obj.paginator.get_elided_page_range(
        page_obj.number, on_each_side=2, on_ends=1
    )
    for number in numbers:
        if number == Paginator.ELLIPSIS:
            items.append('<li class="pagination__gap" aria-hidden="true">…</li>')
        else:
            current = ' aria-current="page"' if number == page_obj.number else ""
            items.append(
                f'<li><a href="{prefix}{number}"{current}>'
                f'<span class="visually-hidden">Page </span>{number}</a></li>'
            )
    if page_obj.has_next():
        items.append(
            f'<li><a href="{prefix}{page_obj.next_page_number()}" rel="next">'
            'Next<span class="visually-hidden"> page</span></a></li>'
        )
    return Markup("".join(items))


def picture(manifest, alt, sizes="100vw", lazy=True, css_class=""):
    """A responsive <picture> from a renditions manifest (see heseltine.images).

    `lazy=False` for an image above the fold, so it is fetched at once.
    """
    if not manifest:
        return ""
    sources = dict(manifest["sources"])
    webp = sources.pop("webp", None)
    fallback = next(iter(sources.values()))
    src = fallback[-1][0] if len(fallback) == 1 else fallback[1][0]
    sizes = escape(sizes)
    webp_source = (
        f'<source type="image/webp" srcset="{_srcset(webp)}" sizes="{sizes}">'
        if webp
        else ""
    )
    css = f' class="{escape(css_class)}"' if css_class else ""
    loading = 'loading="lazy" ' if lazy else ""
    return Markup(
        f"<picture>\n  {webp_source}\n"
        f'  <img src="{escape(src)}" srcset="{_srcset(fallback)}" sizes="{sizes}" '
        f'width="{int(manifest["width"])}" height="{int(manifest["height"])}" '
        f'alt="{escape(alt)}"{css} {loading}decoding="async">\n</picture>'
    )


def _srcset(candidates):
    return escape(", ".join(f"{url} {width}w" for url, width in candidates))
