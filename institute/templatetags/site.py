from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_item(context, url_name, label):
    """A main-navigation link, marked as the current page within its section."""
    url = reverse(url_name)
    path = context["request"].path
    current = path == url or (url != "/" and path.startswith(url))
    if current:
        return format_html(
            '<li><a href="{}" aria-current="page">{}</a></li>', url, label
        )
    return format_html('<li><a href="{}">{}</a></li>', url, label)
