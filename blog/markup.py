"""Post cards and bylines, written in Python: lists repeat them a dozen times."""

from markupsafe import Markup, escape


def post_card(card, heading_level=2):
    """One post in a list, from a card of blog.cards.post_cards()."""
    heading = "h3" if heading_level == 3 else "h2"
    by = f" · By {byline(card['authors'])}" if card["authors"] else ""
    labels = ""
    if card["themes"] or card["tags"]:
        themes = "".join(
            f'<li><a href="{escape(theme["url"])}"><span class="visually-hidden">'
            f"Theme: </span>{escape(theme['title'])}</a></li>"
            for theme in card["themes"]
        )
        tags = "".join(
            f'<li><a href="{escape(tag["url"])}"><span class="visually-hidden">'
            f"Tag: </span>#{escape(tag['name'])}</a></li>"
            for tag in card["tags"]
        )
        labels = f'<ul class="tags" aria-label="Themes and tags">{themes}{tags}</ul>'
    return Markup(
        f'<article class="card post-card"><{heading}><a href="{escape(card["url"])}">'
        f'{escape(card["title"])}</a></{heading}><p class="meta">'
        f'<time datetime="{escape(card["datetime"])}">{escape(card["date"])}</time>'
        f"{by}</p><p>{escape(card['standfirst'])}</p>{labels}</article>"
    )


def byline(authors, roles=False):
    """Linked names: "A", "A and B", "A, B and C"; with roles, each one's role.

    `authors` as blog.cards.post_relations() gives them.
    """
    links = [
        f'<a href="{escape(author["url"])}">{escape(author["name"])}</a>'
        + (
            f' <span class="byline__role">({escape(author["role"])})</span>'
            if roles and author["role"]
            else ""
        )
        for author in authors
    ]
    if len(links) <= 1:
        return Markup(links[0] if links else "")
    return Markup(f"{', '.join(links[:-1])} and {links[-1]}")
