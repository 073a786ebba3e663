"""The Jinja2 environment of the public templates (templates/).

The admin keeps Django's template engine; the public pages use Jinja2, which
compiles each template to Python and renders a page several times faster.
The globals and filters below stand in for the Django tags and filters those
templates used, with the same output.
"""

from django.templatetags.static import static
from django.urls import reverse
from django.utils import dateformat
from django.utils.html import linebreaks as linebreaks_html
from django.utils.text import Truncator
from django.utils.timezone import localtime
from jinja2 import Environment, FileSystemLoader, TemplateNotFound, Undefined
from markupsafe import Markup

from blog.markup import byline, post_card
from heseltine.dates import uk_date
from heseltine.links import url_for
from heseltine.markup import breadcrumbs, json_ld, page_links, picture
from institute.markup import main_nav, organisation_json_ld
from partnerships.money import money, money_full


class PublicTemplates(FileSystemLoader):
    """templates/ but for admin/ and ckeditor/: Django-engine staff templates."""

    def get_source(self, environment, template):
        if template.startswith(("admin/", "ckeditor/")):
            raise TemplateNotFound(template)
        return super().get_source(environment, template)


def environment(**options):
    # A missing value renders as nothing, as in Django's templates, with debug
    # on or off (Django's backend would show it with debug on).
    options["undefined"] = Undefined
    options["loader"] = PublicTemplates(options["loader"].searchpath)
    # Django's backend has set autoescape=True in options.
    env = Environment(**options)  # noqa: S701
    env.globals.update(
        breadcrumbs=breadcrumbs,
        byline=byline,
        json_ld=json_ld,
        main_nav=main_nav,
        organisation_json_ld=organisation_json_ld,
        page_links=page_links,
        picture=picture,
        post_card=post_card,
        static=static,
        url=url,
    )
    env.filters.update(
        date=date,
        date_time=date_time,
        isodate=isodate,
        linebreaks=linebreaks,
        money=money,
        money_full=money_full,
        pluralize=pluralize,
        truncatechars=truncatechars,
        truncatewords=truncatewords,
    )
    return env


def url(name, **kwargs):
    """reverse(); a URL without arguments is resolved once per process."""
    return reverse(name, kwargs=kwargs) if kwargs else url_for(name)


def date(value):
    """A date as the site shows it: "18 July 2024", in UK time."""
    return uk_date(value)[0] if value else ""


def date_time(value):
    """A date and time as the site shows them: "18 July 2024, 09:30", UK time."""
    return dateformat.format(localtime(value), "j F Y, H:i") if value else ""


def isodate(value):
    """A date in ISO 8601, UK time, for <time datetime> and metadata."""
    return localtime(value).isoformat() if value else ""


def linebreaks(value):
    """Paragraphs and line breaks from plain text, escaped."""
    return Markup(linebreaks_html(value, autoescape=True))  # noqa: S704 (escaped)


def pluralize(count, suffix="s"):
    return "" if count == 1 else suffix


def truncatechars(value, length):
    return Truncator(value).chars(length)


def truncatewords(value, length):
    return Truncator(value).words(length, truncate=" …")
