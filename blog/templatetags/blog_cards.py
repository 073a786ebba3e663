from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def post_card(card, heading_level=2):
    """One post in a list, from a card of blog.cards.post_cards().

    Written with format_html rather than a template: lists repeat it a dozen
    times a page, and the template engine took twice as long to write it.
    """
    heading = "h3" if heading_level == 3 else "h2"
    by = ""
    if card["authors"]:
        by = format_html(" · By {}", byline(card["authors"]))
    labels = ""
    if card["themes"] or card["tags"]:
        labels = format_html(
            '<ul class="tags" aria-label="Themes and tags">{}{}</ul>',
            format_html_join(
                "",
                '<li><a href="{}"><span class="visually-hidden">Theme: </span>{}</a>'
                "</li>",
                ((theme["url"], theme["title"]) for theme in card["themes"]),
            ),
            format_html_join(
                "",
                '<li><a href="{}"><span class="visually-hidden">Tag: </span>#{}</a>'
                "</li>",
                ((tag["url"], tag["name"]) for tag in card["tags"]),
            ),
        )
    return format_html(
        '<article class="card post-card"><{heading}><a href="{url}">{title}</a>'
        '</{heading}><p class="meta"><time datetime="{datetime}">{date}</time>'
        "{by}</p><p>{standfirst}</p>{labels}</article>",
        heading=mark_safe(heading),
        url=card["url"],
        title=card["title"],
        datetime=card["datetime"],
        date=card["date"],
        by=by,
        standfirst=card["standfirst"],
        labels=labels,
    )


@register.simple_tag
def byline(authors, roles=False):
    """Linked names: "A", "A and B", "A, B and C"; with roles, each one's role.

    `authors` as post_relations() gives them.
    """
    links = [
        format_html(
            '<a href="{}">{}</a>{}',
            author["url"],
            author["name"],
            format_html(' <span class="byline__role">({})</span>', author["role"])
            if roles and author["role"]
            else "",
        )
        for author in authors
    ]
    if len(links) <= 1:
        return links[0] if links else ""
    return format_html("{} and {}", mark_safe(", ".join(links[:-1])), links[-1])
