"""Post cards: what a list of posts shows, loaded in two queries.

Lists of posts are the site's busiest pages. Model instances with three
prefetches cost about 10 ms of ORM work for a page of twelve; these plain dicts,
with dates and links made ready, cost a fraction of it and render faster too.
"""

from functools import lru_cache

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from blog.models import Post
from heseltine import db
from heseltine.dates import uk_date
from heseltine.links import slug_urls

CARD_FIELDS = ("pk", "title", "slug", "standfirst", "published_at")


def post_cards(posts):
    """One card dict per post of `posts` (ordered and sliced), in order.

    A card holds url, title, standfirst, date ("18 July 2024"), datetime (ISO
    8601) and the lists of post_relations().
    """
    return cards_from_rows(posts.values(*CARD_FIELDS))


def cards_from_rows(rows):
    """post_cards() for rows of values(*CARD_FIELDS) already fetched."""
    post_url = slug_urls("blog:post_detail")
    cards = {row["pk"]: post_link(row, post_url) for row in rows}
    for post_id, relations in post_relations(list(cards)).items():
        cards[post_id].update(relations)
    return list(cards.values())


def post_link(row, post_url=None):
    """url, title, standfirst, date and datetime from a values(*CARD_FIELDS) row.

    `post_url` is slug_urls("blog:post_detail"), for a loop to make once.
    """
    date, iso = uk_date(row["published_at"])
    post_url = post_url or slug_urls("blog:post_detail")
    return {
        "url": post_url(row["slug"]),
        "title": row["title"],
        "standfirst": row["standfirst"],
        "date": date,
        "datetime": iso,
    }


def post_relations(post_ids):
    """{post id: {"authors", "themes", "tags"}} for these posts, in one query.

    Authors are {name, url, role} (the byline role: as published, or for a
    draft the person's current role); themes {pk, title, url}; tags {pk, name,
    url}. Retired themes are left out: their pages are gone.
    """
    relations = {pk: {"authors": [], "themes": [], "tags": []} for pk in post_ids}
    if not relations:
        return {}
    with connection.cursor() as cursor:
        db.execute(
            cursor,
            _relations_sql(len(post_ids)),
            [*post_ids, *post_ids, _post_type_id(), *post_ids],
        )
        rows = cursor.fetchall()
    person_url = slug_urls("institute:person_detail")
    theme_url = slug_urls("blog:theme_archive")
    tag_url = slug_urls("blog:tag_archive")
    for kind, post_id, label, extra, role, slug, *_, pk in rows:
        lists = relations[post_id]
        if kind == "author":
            lists["authors"].append(
                {
                    "name": f"{extra} {label}".strip(),
                    "url": person_url(slug),
                    "role": role,
                }
            )
        elif kind == "theme":
            lists["themes"].append({"pk": pk, "title": label, "url": theme_url(slug)})
        else:
            lists["tags"].append({"pk": pk, "name": label, "url": tag_url(slug)})
    return relations


def _post_type_id():
    return ContentType.objects.get_for_model(Post).pk  # cached by Django


@lru_cache(maxsize=64)
def _relations_sql(count):
    """The authors, active themes and tags of `count` posts, as one UNION query.

    Plain SQL because the ORM's three prefetches spend most of their time
    building queries. Each row is (kind, post id, label, honorific, role, slug,
    order, pk), in display order. The tests run it on SQLite and PostgreSQL.
    """
    ids = ", ".join(["%s"] * count)
    return f"""
        SELECT 'author', a.post_id, p.name, p.honorific,
            CASE WHEN a.role = '' THEN p.role ELSE a.role END, p.slug, a."order", a.id
        FROM blog_postauthor a
        INNER JOIN institute_person p ON p.id = a.person_id
        WHERE a.post_id IN ({ids})
        UNION ALL
        SELECT 'theme', l.post_id, t.title, '', '', t.slug, t."order", t.id
        FROM blog_post_themes l
        INNER JOIN institute_researchtheme t ON t.id = l.researchtheme_id
        WHERE l.post_id IN ({ids}) AND NOT t.is_retired
        UNION ALL
        SELECT 'tag', i.object_id, g.name, '', '', g.slug, 0, g.id
        FROM taggit_taggeditem i
        INNER JOIN taggit_tag g ON g.id = i.tag_id
        WHERE i.content_type_id = %s AND i.object_id IN ({ids})
        ORDER BY 1, 2, 7, 3, 8
    """  # noqa: S608 (only %s placeholders are formatted in)
