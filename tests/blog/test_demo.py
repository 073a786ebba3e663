"""The blog's demo content: the nine posts of the seed listing."""

import pytest
from django.utils import timezone

from blog import demo
from blog.models import Post, PostAuthor
from tests.factories import PersonFactory, ResearchThemeFactory

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_nine_posts_published_on_their_dates():
    demo.load()
    posts = Post.objects.public()
    assert posts.count() == 9
    dates = [timezone.localtime(post.published_at).date() for post in posts]
    assert dates[0].isoformat() == "2024-07-18"
    assert dates[-1].isoformat() == "2024-02-06"


def test_the_demo_credits_named_authors_in_order_and_the_institute_otherwise():
    PersonFactory(name="Cleo Hachem", slug="cleo-hachem", role="Policy Fellow")
    PersonFactory(name="Tom Arnold", slug="tom-arnold")
    ResearchThemeFactory(slug="regional-inequalities")
    demo.load()
    kings_speech = Post.objects.get(slug__startswith="what-the-kings-speech")
    assert [str(a.person) for a in kings_speech.post_authors.all()] == [
        "Cleo Hachem",
        "Tom Arnold",
    ]
    assert kings_speech.post_authors.first().role == "Policy Fellow"
    assert [theme.slug for theme in kings_speech.themes.all()] == [
        "regional-inequalities"
    ]
    digest = Post.objects.get(slug="general-election-2024-policy-digest")
    assert [str(a.person) for a in digest.post_authors.all()] == ["Heseltine Institute"]


def test_loading_the_demo_twice_changes_nothing():
    PersonFactory(slug="tom-arnold")
    demo.load()
    first = list(PostAuthor.objects.values_list("pk", "post_id", "person_id", "order"))
    demo.load()
    assert (
        list(PostAuthor.objects.values_list("pk", "post_id", "person_id", "order"))
        == first
    )
    assert Post.objects.count() == 9
