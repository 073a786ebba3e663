"""Tags for page metadata: social cards, breadcrumbs and structured data."""

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.utils.html import format_html, json_script
from django.utils.safestring import mark_safe

from heseltine.links import url_for

register = template.Library()


@register.simple_tag(takes_context=True)
def block_text(context, name):
    """Render a block of the current page again (its title for Open Graph, say).

    Django renders each block once; this renders the most specific definition
    of `name` a second time, so templates say their title in one place only.
    """
    block_context = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = block_context.get_block(name) if block_context else None
    if block is None:
        return ""
    with context.push():
        return block.nodelist.render(context).strip()


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, *trail):
    """Visible breadcrumbs and their schema.org BreadcrumbList.

    Takes label, URL pairs from Home downwards, then the current page's label:
    `{% breadcrumbs "Blog" blog_url post.title %}`. Home is added first.
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
    return {"crumbs": crumbs, "current": current, "json_ld": json_ld(data)}


@register.simple_tag
def json_ld(data):
    """A schema.org JSON-LD block, escaped so no value can close the script."""
    # json_script escapes <, > and &; keep its escaping, change only the type.
    script = json_script(data)
    body = script[script.index(">") + 1 : script.rindex("</script>")]
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(body)
    )
