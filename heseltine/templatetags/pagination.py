from django import template
from django.core.paginator import Paginator
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def page_links(page_obj, query=""):
    """The list items of a pagination: previous, page numbers with gaps, next.

    The numbers are the ends and two either side of this page, a fixed number
    however many pages there are. `query` is the URL-encoded query string
    without "page". Written with format_html: a template took a millisecond.
    """
    prefix = f"?{query}&page=" if query else "?page="
    items = []
    if page_obj.has_previous():
        items.append(
            format_html(
                '<li><a href="{}{}" rel="prev">Previous'
                '<span class="visually-hidden"> page</span></a></li>',
                prefix,
                page_obj.previous_page_number(),
            )
        )
    numbers = page_obj.paginator.get_elided_page_range(
        page_obj.number, on_each_side=2, on_ends=1
    )
    for number in numbers:
        if number == Paginator.ELLIPSIS:
            items.append(
                mark_safe('<li class="pagination__gap" aria-hidden="true">…</li>')
            )
        else:
            current = mark_safe(
                ' aria-current="page"' if number == page_obj.number else ""
            )
            items.append(
                format_html(
                    '<li><a href="{}{}"{}><span class="visually-hidden">Page </span>'
                    "{}</a></li>",
                    prefix,
                    number,
                    current,
                    number,
                )
            )
    if page_obj.has_next():
        items.append(
            format_html(
                '<li><a href="{}{}" rel="next">Next'
                '<span class="visually-hidden"> page</span></a></li>',
                prefix,
                page_obj.next_page_number(),
            )
        )
    return mark_safe("".join(items))
