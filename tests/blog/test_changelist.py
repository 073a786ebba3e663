"""The post list in the admin: the columns an editor scans, filters typed into
rather than listed, and a fixed cost however many posts, tags and people."""

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from blog.models import Post, PostAuthor
from tests.blog.conftest import JULY_18
from tests.factories import PersonFactory, PostAuthorFactory, PostFactory
from tests.test_performance import shape

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:blog_post_changelist")


def titles(page):
    return [link.text for link in page.html.select("#result_list th.field-title a")]


def filter_form(page, name):
    """The sidebar's form for one typed filter, as rendered."""
    return page.forms[f"{name}-filter"]


def test_the_list_shows_the_columns_an_editor_scans(
    django_app, editor, author, time_machine
):
    time_machine.move_to(JULY_18, tick=False)
    post = PostFactory(
        title="Rivers and towns",
        published=True,
        published_at=JULY_18 - timedelta(days=2),
        updated_by=editor,
    )
    PostAuthorFactory(post=post, person=author)
    post.tags.add("levelling up")
    page = django_app.get(CHANGELIST, user=editor)

    headers = [th.text.strip() for th in page.html.select("#result_list thead th")]
    assert headers[1:] == [
        "Title",
        "State",
        "Authors",
        "Publication (UK time)",
        "Last changed",
    ]
    row = page.html.select_one("#result_list tbody tr")
    assert row.select_one(".field-state").get_text(" ", strip=True) == "Live View"
    assert row.select_one(".field-author_names").text == "Cleo Hachem"
    assert row.select_one(".field-published_at_uk").text == "16 Jul 2024, 09:00"
    assert row.select_one(".field-updated_at_uk").get_text(" ", strip=True) == (
        "18 Jul 2024, 09:00 by edith"
    )
    view = row.select_one(".field-state a")
    assert view["href"] == post.get_absolute_url()
    assert view["aria-label"] == "View “Rivers and towns”"


def test_a_date_only_post_s_publication_shows_no_time(django_app, editor, author):
    post = PostFactory(published=True, published_at=JULY_18, is_date_only=True)
    PostAuthorFactory(post=post, person=author)
    page = django_app.get(CHANGELIST, user=editor)
    row = page.html.select_one("#result_list tbody tr")
    assert row.select_one(".field-published_at_uk").text == "18 Jul 2024"


def test_unpublished_posts_say_their_state_and_offer_a_preview(django_app, editor):
    PostFactory(title="Quiet draft")
    PostFactory(title="Needs a read", in_review=True)
    PostFactory(
        title="Goes out tomorrow",
        published=True,
        published_at=timezone.now() + timedelta(days=1),
    )
    page = django_app.get(CHANGELIST, user=editor)

    states = {
        row.select_one(".field-title").text: row.select_one(".field-state").get_text(
            " ", strip=True
        )
        for row in page.html.select("#result_list tbody tr")
    }
    assert states == {
        "Quiet draft": "Draft Preview",
        "Needs a read": "In review Preview",
        "Goes out tomorrow": "Scheduled Preview",
    }


def test_the_state_filter_finds_drafts_in_review_scheduled_and_live_posts(
    django_app, editor
):
    PostFactory(title="Quiet draft")
    PostFactory(title="Needs a read", in_review=True)
    PostFactory(
        title="Later", published=True, published_at=timezone.now() + timedelta(1)
    )
    PostFactory(title="Live one", published=True)
    page = django_app.get(CHANGELIST, user=editor)

    found = {}
    for state in ("Draft", "In review", "Scheduled", "Live"):
        found[state] = titles(page.click(description=f"^{state}$", index=0))
    assert found == {
        "Draft": ["Quiet draft"],
        "In review": ["Needs a read"],
        "Scheduled": ["Later"],
        "Live": ["Live one"],
    }


def test_the_sidebar_lists_no_tags_and_no_people(django_app, editor):
    for n in range(30):
        post = PostFactory(title=f"Post {n}")
        post.tags.add(f"topic {n}")
        PostAuthorFactory(post=post, person=PersonFactory(name=f"Writer {n}"))
    page = django_app.get(CHANGELIST, user=editor)

    sidebar = page.html.select_one("#changelist-filter").text
    assert "topic 7" not in sidebar
    assert "Writer 7" not in sidebar
    assert filter_form(page, "tag")["tag"].value == ""
    assert page.html.select_one("label[for=text-filter-tag]").text == "Tag name"


def test_typing_a_tag_finds_its_posts_whatever_the_case(django_app, editor):
    PostFactory(title="Tagged").tags.add("Levelling up")
    PostFactory(title="Nearly").tags.add("levelling up fund")
    PostFactory(title="Untagged")
    form = filter_form(django_app.get(CHANGELIST, user=editor), "tag")
    form["tag"] = "  LEVELLING UP "
    page = form.submit()

    assert titles(page) == ["Tagged"]
    # The editor's words stay in the box, with a way back to every post.
    assert filter_form(page, "tag")["tag"].value == "LEVELLING UP"
    assert len(titles(page.click("^Any tag$"))) == 3


def test_a_typed_filter_keeps_the_other_filters_search_and_order(django_app, editor):
    PostFactory(title="Rivers draft").tags.add("rivers")
    PostFactory(title="Rivers live", published=True).tags.add("rivers")
    PostFactory(title="Rivers live again", published=True).tags.add("rivers")
    PostFactory(title="Towns live", published=True).tags.add("towns")
    live = django_app.get(CHANGELIST, {"workflow": "live", "o": "1"}, user=editor)
    form = filter_form(live.forms["changelist-search"].submit(), "tag")
    form["tag"] = "rivers"
    page = form.submit()

    assert page.request.GET["workflow"] == "live"
    assert page.request.GET["o"] == "1"
    assert titles(page) == ["Rivers live", "Rivers live again"]


def test_typing_part_of_a_name_finds_the_authors_posts_once(django_app, editor, author):
    both = PostFactory(title="Co-written")
    PostAuthorFactory(post=both, person=author)
    PostAuthorFactory(post=both, person=PersonFactory(name="Ada Hachemi"))
    PostAuthorFactory(post=PostFactory(title="Hers"), person=author)
    PostAuthorFactory(post=PostFactory(title="Someone else's"))
    form = filter_form(django_app.get(CHANGELIST, user=editor), "author")
    form["author"] = "hachem"
    page = form.submit()

    assert sorted(titles(page)) == ["Co-written", "Hers"]


def test_a_contributor_finds_no_one_elses_draft_by_its_tag(
    django_app, contributor, editor
):
    PostFactory(title="Secret draft", created_by=editor).tags.add("secret")
    PostFactory(title="Mine", created_by=contributor).tags.add("secret")
    form = filter_form(django_app.get(CHANGELIST, user=contributor), "tag")
    form["tag"] = "secret"

    assert titles(form.submit()) == ["Mine"]


def test_author_suggestions_match_what_is_typed(django_app, editor):
    PersonFactory(name="Cleo Hachem")
    PersonFactory(name="Tom Arnold")
    url = reverse("admin:blog_post_author_suggestions")
    response = django_app.get(url, {"q": "HACH"}, user=editor)

    assert response.json == {"names": ["Cleo Hachem"]}


def test_author_suggestions_are_for_staff_with_access_to_posts(django_app):
    from tests.factories import UserFactory

    url = reverse("admin:blog_post_author_suggestions")
    response = django_app.get(
        url, {"q": "a"}, user=UserFactory(staff=True), status=HTTPStatus.FORBIDDEN
    )
    assert response.status_code == HTTPStatus.FORBIDDEN


# --- What a page of the list costs --------------------------------------------


def make_posts(count, *, tags, people):
    """`count` posts, each with three of `tags` tags and two of `people` authors."""
    persons = PersonFactory.create_batch(people)
    names = [f"topic {n}" for n in range(tags)]
    Tag.objects.bulk_create(
        [Tag(name=name, slug=name.replace(" ", "-")) for name in names]
    )
    tag_ids = list(Tag.objects.filter(name__in=names).values_list("pk", flat=True))
    post_type = ContentType.objects.get_for_model(Post)
    posts = PostFactory.create_batch(count, published=True)
    PostAuthor.objects.bulk_create(
        PostAuthor(post=post, person=persons[(i + n) % people], order=n)
        for i, post in enumerate(posts)
        for n in range(2)
    )
    TaggedItem.objects.bulk_create(
        TaggedItem(
            content_type=post_type, object_id=post.pk, tag_id=tag_ids[(i + n) % tags]
        )
        for i, post in enumerate(posts)
        for n in range(3)
    )


LISTS = {
    "every post": {},
    "by state": {"workflow": "live"},
    "by tag": {"tag": "topic 1"},
    "by author": {"author": "Person"},
    "searched": {"q": "Post"},
}
# Session, user, permissions (2), the themes to filter by, the count, whether
# the institute's profile exists (the sidebar's "Add" links), the page of
# posts, their bylines, and two for the date links. The same for 20 posts or
# 300, and whatever the filter.
QUERIES = 11


@pytest.mark.parametrize(
    ("posts", "tags", "people"), [(20, 10, 5), (300, 200, 100)], ids=["20", "300"]
)
def test_a_page_of_the_list_costs_a_fixed_number_of_queries_at_any_size(
    client, editor, posts, tags, people
):
    make_posts(posts, tags=tags, people=people)
    client.force_login(editor)
    for name, params in LISTS.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(CHANGELIST, params)
        assert response.status_code == HTTPStatus.OK, name
        assert response.context["cl"].result_count > 0, name
        assert len(queries) == QUERIES, f"{name}: {len(queries)} queries"
        shapes = [shape(query["sql"]) for query in queries]
        repeated = {s for s in shapes if shapes.count(s) > 1}
        assert not repeated, f"{name} repeats a query: {repeated}"


def test_the_list_is_light_at_300_posts(client, editor):
    make_posts(300, tags=200, people=100)
    client.force_login(editor)
    html = client.get(CHANGELIST).content.decode()
    # A hundred rows to a page, and neither 200 tags nor 100 people listed.
    assert len(re.findall(r'<tr[^>]*>\s*<td class="action-checkbox">', html)) == 100
    assert "topic 150" not in html
