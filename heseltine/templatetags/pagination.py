from django import template
from django.core.paginator import Paginator

register = template.Library()


@register.simple_tag
def page_links(page_obj):
    """The page numbers to link to: the ends and two either side of this one.

    A fixed number however many pages there are; gaps are Paginator.ELLIPSIS.
    """
    return list(
        page_obj.paginator.get_elided_page_range(
            page_obj.number, on_each_side=2, on_ends=1
        )
    )


@register.filter
def is_gap(value):
    return value == Paginator.ELLIPSIS
