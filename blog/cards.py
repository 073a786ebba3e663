"""Post cards: what a list of posts shows, as plain dicts for the templates.

A card is a row of `values(*CARD_FIELDS)` with its url, its day of publication
(UK time) and three lists added:
authors, themes and tags, loaded for the whole list in one query. Lists are
the site's busiest pages, and plain dicts render faster than model instances
(templates subscript them: `card["url"]`).
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Value
from django.utils.timezone import localtime
from taggit.models import TaggedItem

from blog.models import Post, PostAuthor
from heseltine.cache import cached_by_content
from heseltine.links import url_for_slug
from institute.models import ResearchTheme

CARD_FIELDS = ("pk", "title", "slug", "standfirst", "published_at")


def post_cards(posts):
    """One card per post of `posts` (values(*CARD_FIELDS) rows), in order.

    A card holds url, title, standfirst, published_at, published_on and the
    lists of post_relations().
    """
    cards = {row["pk"]: post_link(row) for row in posts}
    for post_id, relations in kept_relations(list(cards)).items():
        cards[post_id].update(relations)
    return list(cards.values())


def post_link(row):
    """A row of values(*CARD_FIELDS) with the post's url and `published_on`.

    `published_on` is the day of publication in UK time, as a card shows it:
    worked out once here rather than for each of the card's two dates.
    """
    return {
        **row,
        "url": url_for_slug("blog:post_detail", row["slug"]),
        "published_on": localtime(row["published_at"]).date(),
    }


def kept_relations(post_ids):
    """post_relations(post_ids), kept until the content changes.

    Like the page cache: most renders of a list or a post run no query for
    its authors, themes and tags.
    """
    return cached_by_content(
        f"post-relations:{','.join(map(str, post_ids))}",
        lambda: post_relations(post_ids),
    )


def post_relations(post_ids):
    """{post id: {"authors", "themes", "tags"}} for these posts, in one query.

    Authors are {name, url, role, is_organisation} (see PostAuthorQuerySet.with_byline);
    themes {pk, title, url}, the public ones only; tags {pk, name, url}.
    """
    relations = {pk: {"authors": [], "themes": [], "tags": []} for pk in post_ids}
    if not relations:
        return {}
    text = models.TextField()
    authors = (
        PostAuthor.objects.filter(post_id__in=post_ids)
        .with_byline()
        .order_by()  # the union is ordered as a whole
        .values(
            kind=Value("authors", output_field=text),
            post_of=F("post_id"),
            label=F("byline_name"),
            link=F("person__slug"),
            described_as=F("byline_role"),
            position=F("order"),
            key=F("pk"),
            flag=F("person__is_organisation"),
        )
    )
    themes = (
        Post.themes.through.objects.filter(
            post_id__in=post_ids, researchtheme__in=ResearchTheme.objects.public()
        )
        .order_by()
        .values(
            kind=Value("themes", output_field=text),
            post_of=F("post_id"),
            label=F("researchtheme__title"),
            link=F("researchtheme__slug"),
            described_as=Value("", output_field=text),
            position=F("researchtheme__order"),
            key=F("researchtheme_id"),
            flag=Value(False),
        )
    )
    tags = (
        TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Post),
            object_id__in=post_ids,
        )
        .order_by()
        .values(
            kind=Value("tags", output_field=text),
            post_of=F("object_id"),
            label=F("tag__name"),
            link=F("tag__slug"),
            described_as=Value("", output_field=text),
            position=Value(0, output_field=models.IntegerField()),
            key=F("tag_id"),
            flag=Value(False),
        )
    )
    rows = authors.union(themes, tags, all=True).order_by(
        "kind", "post_of", "position", "label", "key"
    )
    for row in rows:
        lists = relations[row["post_of"]]
        if row["kind"] == "authors":
            url = url_for_slug("institute:person_detail", row["link"])
            lists["authors"].append(
                {
                    "name": row["label"],
                    "url": url,
                    "role": row["described_as"],
                    # A byline may name an organisation (the institute itself).
                    "is_organisation": bool(row["flag"]),
                }
            )
        elif row["kind"] == "themes":
            url = url_for_slug("blog:theme_archive", row["link"])
            lists["themes"].append(
                {"pk": row["key"], "title": row["label"], "url": url}
            )
        else:
            url = url_for_slug("blog:tag_archive", row["link"])
            lists["tags"].append({"pk": row["key"], "name": row["label"], "url": url})
    return relations
