"""The Jinja2 environment of the public templates (templates/).

The admin keeps Django's template engine; the public pages use Jinja2, which
compiles each template to Python and renders a page faster.
The globals and filters below stand in for the Django tags and filters those
templates used, with the same output.
"""

from datetime import datetime

from django.templatetags.static import static
from django.urls import reverse
from django.utils import dateformat
from django.utils.dates import MONTHS
from django.utils.html import json_script, linebreaks as linebreaks_html
from django.utils.text import Truncator
from django.utils.timezone import localtime
from jinja2 import Environment, FileSystemLoader, TemplateNotFound, Undefined
from markupsafe import Markup

from heseltine.links import url_for
from partnerships.money import money, money_full

# The main navigation: (URL name, label), in order.
NAVIGATION = (
    ("institute:home", "Home"),
    ("institute:about", "About"),
    ("institute:theme_list", "Research themes"),
    ("blog:post_list", "Blog"),
    ("work:project_list", "Projects"),
    ("work:publication_list", "Publications"),
    ("work:event_list", "Events"),
    ("partnerships:partnership_list", "Partnerships"),
    ("institute:person_list", "People"),
    ("search", "Search"),
)


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
    env.globals.update(navigation=NAVIGATION, static=static, url=url)
    env.filters.update(
        date=date,
        json_ld=json_ld,
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


def date(value, format="j F Y"):
    """A date or time as Django's date filter shows it, in UK time.

    {{ when|date }} is "18 July 2024"; {{ when|date("c") }} the ISO 8601 for
    <time datetime>, to the second (HTML allows at most three digits of a
    fraction of a second; "c" would give six); any of Django's date formats
    may be given.
    """
    if not value:
        return ""
    if isinstance(value, datetime):
        value = localtime(value)
        if format == "c":
            value = value.replace(microsecond=0)
    if format == "j F Y":
        # The site's date, on every card: what dateformat writes, from the same
        # month names, without its formatter's cost (a sixth of a card's time).
        return f"{value.day} {MONTHS[value.month]} {value.year}"
    return dateformat.format(value, format)


def json_ld(data):
    """`data` as JSON for a <script type="application/ld+json">.

    Escaped as json_script escapes it, so no value can close the script.
    """
    script = json_script(data)
    return Markup(  # noqa: S704 (json_script escaped it)
        script[script.index(">") + 1 : script.rindex("</script>")]
    )


def linebreaks(value):
    """Paragraphs and line breaks from plain text, escaped."""
    return Markup(linebreaks_html(value, autoescape=True))  # noqa: S704 (escaped)


def pluralize(count, suffix="s"):
    return "" if count == 1 else suffix


def truncatechars(value, length):
    return Truncator(value).chars(length)


def truncatewords(value, length):
    return Truncator(value).words(length, truncate=" …")
