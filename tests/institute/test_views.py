"""The institute's public pages: what they show and what they cost."""

from datetime import datetime
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from blog.models import Post
from institute.models import Person
from institute.views import PersonListView
from tests.factories import (
    FocusAreaFactory,
    InstituteProfileFactory,
    ObjectiveFactory,
    PageFactory,
    PartnershipFactory,
    PersonFactory,
    PhaseFactory,
    PillarFactory,
    PostAuthorFactory,
    PostFactory,
    ProgrammeFactory,
    ResearchAreaFactory,
    ResearchThemeFactory,
)
from tests.images import image_bytes

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def add_content(count):
    """Add `count` of every kind of institute content, with their children."""
    for _ in range(count):
        ObjectiveFactory()
        FocusAreaFactory.create_batch(2, theme=ResearchThemeFactory())
        ResearchAreaFactory.create_batch(2, pillar=PillarFactory())
        PersonFactory(group=Person.Group.STAFF)
        PersonFactory(group=Person.Group.AUTHOR)
        PageFactory(published=True, show_in_footer=True, show_on_about_page=True)


@pytest.fixture
def profile():
    return InstituteProfileFactory()


def add_posts_and_partnerships(count, theme, person):
    """Published posts by `person` on `theme`, and partnerships on `theme`."""
    for _ in range(count):
        post = PostFactory(published=True)
        PostAuthorFactory(post=post, person=person)
        post.themes.add(theme)
        post.tags.add("devolution", f"tag {post.pk}")
        PartnershipFactory().themes.add(theme)


# Each page's queries include the profile and the footer pages (2). Home: the
# programme and its phases (2), and the latest post cards: posts, then their
# authors, themes and tags together (2); a theme and a person: their latest post
# cards (2) and a theme's partnerships (1); a person: their projects,
# publications and events (1).
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/", 8),
        ("/about/", 6),
        ("/themes/", 4),
        ("/themes/theme-first/", 7),
        ("/people/", 3),
        ("/people/person-first/", 6),
        ("/page-first/", 3),
    ],
)
def test_public_pages_cost_a_fixed_number_of_queries(
    client, django_assert_num_queries, profile, url, queries
):
    theme = ResearchThemeFactory(slug="theme-first")
    FocusAreaFactory(theme=theme)
    person = PersonFactory(slug="person-first")
    PageFactory(slug="page-first", published=True)
    PhaseFactory(programme=ProgrammeFactory(), number=1)
    add_content(1)
    add_posts_and_partnerships(2, theme, person)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == HTTPStatus.OK

    add_content(50)
    add_posts_and_partnerships(20, theme, person)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == HTTPStatus.OK


@pytest.mark.parametrize(
    "url", ["/", "/about/", "/themes/", "/themes/t/", "/people/", "/people/p/", "/g/"]
)
def test_every_public_page_has_one_h1_a_title_and_a_description(client, url):
    InstituteProfileFactory()
    ResearchThemeFactory(slug="t")
    PersonFactory(slug="p")
    PageFactory(slug="g", published=True)
    html = client.get(url).content.decode()
    assert html.count("<h1") == 1
    assert '<meta name="description" content="' in html
    assert '<meta name="description" content="">' not in html
    assert "<title> |" not in html


def test_every_public_page_has_its_own_title(client):
    InstituteProfileFactory()
    ResearchThemeFactory(slug="t", title="Regional inequalities")
    PersonFactory(slug="p", name="Joanna Hayes")
    PageFactory(slug="g", published=True, title="Privacy notice")
    urls = ["/", "/about/", "/themes/", "/themes/t/", "/people/", "/people/p/", "/g/"]
    titles = {client.get(url).content.decode().split("<title>")[1] for url in urls}
    assert len(titles) == len(urls)


def test_home_shows_the_strapline_objectives_and_active_themes(client, profile):
    ObjectiveFactory(title="Convene", description="Bring people together.")
    ResearchThemeFactory(title="Regional inequalities", question="Why the gaps?")
    ResearchThemeFactory(title="Old theme", retired=True)
    html = client.get("/").content.decode()
    assert profile.strapline in html
    assert "Convene" in html
    assert "Bring people together." in html
    assert "Regional inequalities" in html
    assert "Why the gaps?" in html
    assert "Old theme" not in html


def test_about_shows_profile_objectives_pillars_and_contact(client):
    InstituteProfileFactory(
        faculty_theme="Sustainable and Resilient Cities", email="hi@example.org"
    )
    ObjectiveFactory(title="Broker")
    pillar = PillarFactory(title="Knowledge exchange", slug="knowledge-exchange")
    ResearchAreaFactory(pillar=pillar, title="English devolution")
    PageFactory(title="About us", published=True, show_on_about_page=True)
    PageFactory(title="Hidden draft", published=False, show_on_about_page=True)
    html = client.get(reverse("institute:about")).content.decode()
    assert "Sustainable and Resilient Cities" in html
    assert "The institute does not offer funding." in html
    assert "Broker" in html
    assert 'id="knowledge-exchange"' in html
    assert "English devolution" in html
    assert "About us" in html
    assert "Hidden draft" not in html
    assert 'href="mailto:hi@example.org"' in html
    assert "https://www.openstreetmap.org/search?query=L69%203BX" in html


def test_about_shows_when_the_profile_was_last_modified(client, time_machine):
    time_machine.move_to(datetime(2023, 9, 20, 15, 0, tzinfo=LONDON), tick=False)
    InstituteProfileFactory()
    html = client.get(reverse("institute:about")).content.decode()
    assert '<time datetime="2023-09-20T15:00:00+01:00">20 September 2023</time>' in html


def test_the_theme_list_shows_active_themes_with_their_focus_areas(client):
    theme = ResearchThemeFactory(title="Public service reform", summary="Services.")
    FocusAreaFactory(theme=theme, title="Smart cities")
    ResearchThemeFactory(title="Retired theme", retired=True)
    html = client.get(reverse("institute:theme_list")).content.decode()
    assert "Public service reform" in html
    assert "Smart cities" in html
    assert theme.get_absolute_url() in html
    assert "Retired theme" not in html


def test_a_theme_page_shows_its_question_body_and_focus_areas(client):
    theme = ResearchThemeFactory(
        question="How can services add value?", body="<p>The <em>full</em> story.</p>"
    )
    FocusAreaFactory(theme=theme, title="Commoning")
    response = client.get(theme.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "How can services add value?" in html
    assert "<p>The <em>full</em> story.</p>" in html
    assert "Commoning" in html


def test_a_theme_page_links_to_its_posts_and_partnerships(client):
    theme = ResearchThemeFactory()
    add_posts_and_partnerships(1, theme, PersonFactory())
    PartnershipFactory(name="Elsewhere")
    ours = PartnershipFactory(name="Ours", slug="ours", focus="Net zero")
    ours.themes.add(theme)
    html = client.get(theme.get_absolute_url()).content.decode()
    assert '<a href="/partnerships/ours/">Ours</a>: Net zero' in html
    assert "Elsewhere" not in html
    post = Post.objects.get()
    assert f'<a href="{post.get_absolute_url()}">{post.title}</a>' in html


def test_people_are_grouped_in_the_order_of_the_groups(client):
    PersonFactory(name="Belinda", group=Person.Group.AUTHOR, role="")
    PersonFactory(name="A Fellow", group=Person.Group.FELLOW)
    PersonFactory(name="A Leader", group=Person.Group.LEADERSHIP)
    html = client.get(reverse("institute:person_list")).content.decode()
    assert html.index("Leadership") < html.index("A Leader")
    assert html.index("A Leader") < html.index("Visiting Fellows")
    assert html.index("Visiting Fellows") < html.index("A Fellow")
    assert html.index("A Fellow") < html.index("Blog authors") < html.index("Belinda")
    assert "Advisory board" not in html


def test_many_blog_authors_are_listed_by_name_and_staff_as_cards(client):
    PersonFactory(
        name="Belinda Writer", slug="belinda", group=Person.Group.AUTHOR, role="x"
    )
    PersonFactory.create_batch(
        PersonListView.MOST_CARDS, group=Person.Group.AUTHOR, role=""
    )
    PersonFactory(name="Tom Arnold", honorific="Dr", slug="tom", role="Researcher")
    html = client.get(reverse("institute:person_list")).content.decode()
    authors = html[html.index('id="group-author"') :]
    assert '<li><a href="/people/belinda/">Belinda Writer</a></li>' in authors
    assert "card" not in authors
    assert '<h3><a href="/people/tom/">Dr Tom Arnold</a></h3>' in html
    assert '<p class="meta">Researcher</p>' in html


def test_a_few_blog_authors_are_cards_with_initials_for_a_missing_photo(client):
    PersonFactory(name="Belinda", slug="belinda", group=Person.Group.AUTHOR, role="")
    PersonFactory(name="Tom Arnold", honorific="Dr", slug="tom", role="")
    html = client.get(reverse("institute:person_list")).content.decode()
    authors = html[html.index('id="group-author"') :]
    assert '<h3><a href="/people/belinda/">Belinda</a></h3>' in authors
    assert (
        '<span class="portrait portrait--small portrait--initials" '
        'aria-hidden="true">TA</span>'
    ) in html
    assert '<p class="meta">' not in authors  # no role the seeds do not give


def test_an_organisation_s_byline_is_not_listed_among_the_people(client):
    PersonFactory(name="Heseltine Institute", is_organisation=True)
    PersonFactory(name="Tom Arnold", role="Researcher")
    html = client.get(reverse("institute:person_list")).content.decode()
    assert "Tom Arnold" in html
    assert "Heseltine Institute</a>" not in html


def test_the_people_list_shows_a_photo_where_there_is_one(client):
    PersonFactory(
        name="Tom Arnold",
        photo=SimpleUploadedFile("tom.jpg", image_bytes(200, 200)),
        photo_alt="Tom Arnold smiling",
    )
    PersonFactory(name="Cleo Hachem")
    html = client.get(reverse("institute:person_list")).content.decode()
    [tom_card, cleo_card] = sorted(
        html.split('<li class="card person-card">')[1:], key=lambda card: "Cleo" in card
    )
    assert 'alt="Tom Arnold smiling"' in tom_card
    assert 'class="portrait portrait--small"' in tom_card
    assert "<picture" not in cleo_card


def test_a_person_page_shows_name_role_photo_and_biography(client):
    person = PersonFactory(
        honorific="Dr",
        name="Tom Arnold",
        role="Researcher",
        bio="First paragraph.\n\nSecond paragraph.",
        photo=SimpleUploadedFile("tom.jpg", image_bytes(200, 200)),
        photo_alt="Tom Arnold smiling",
    )
    html = client.get(person.get_absolute_url()).content.decode()
    assert "<h1>Dr Tom Arnold</h1>" in html
    assert "Researcher" in html
    assert 'alt="Tom Arnold smiling"' in html
    assert "<p>Second paragraph.</p>" in html


def test_an_unknown_person_is_not_found(client):
    response = client.get(reverse("institute:person_detail", args=["nobody"]))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_published_page_shows_its_standfirst_body_and_date(client, time_machine):
    time_machine.move_to(datetime(2024, 7, 18, 9, tzinfo=LONDON), tick=False)
    page = PageFactory(published=True, standfirst="In short.", body="<p>Long.</p>")
    html = client.get(page.get_absolute_url()).content.decode()
    assert "In short." in html
    assert "<p>Long.</p>" in html
    assert '<time datetime="2024-07-18T09:00:00+01:00">18 July 2024</time>' in html


HIDDEN = {
    "retired theme": (lambda: ResearchThemeFactory(retired=True), "theme is retired"),
    "unpublished page": (lambda: PageFactory(published=False), "not published"),
}


@pytest.mark.parametrize(("make", "notice"), HIDDEN.values(), ids=HIDDEN.keys())
def test_hidden_content_is_not_found_by_the_public(client, make, notice):
    url = make().get_absolute_url()
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(("make", "notice"), HIDDEN.values(), ids=HIDDEN.keys())
def test_an_editor_may_preview_hidden_content_uncached(editor_client, make, notice):
    response = editor_client.get(make().get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assert notice in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_the_navigation_marks_the_current_section(client):
    theme = ResearchThemeFactory()
    html = client.get(theme.get_absolute_url()).content.decode()
    assert '<a href="/themes/" aria-current="page">Research themes</a>' in html
    assert '<a href="/people/">People</a>' in html


# Rendered afresh (the page cache off), a theme's or a person's page reads its
# row and parts from values kept by content stamp: an edit shows at once.


def test_a_person_page_rendered_afresh_runs_no_query_then_shows_an_edit_at_once(
    client, django_assert_num_queries, no_page_cache, profile
):
    person = PersonFactory(name="Tom Arnold")
    add_posts_and_partnerships(2, ResearchThemeFactory(), person)
    client.get(person.get_absolute_url())
    with django_assert_num_queries(0):
        assert client.get(person.get_absolute_url()).status_code == HTTPStatus.OK

    person.name = "Thomas Arnold"
    person.save()
    post = PostFactory(published=True, title="A new post by Thomas")
    PostAuthorFactory(post=post, person=person)
    html = client.get(person.get_absolute_url()).content.decode()
    assert "<h1>Thomas Arnold</h1>" in html
    assert "A new post by Thomas" in html


def test_an_address_not_found_is_not_kept_for_the_person_who_takes_it(
    client, no_page_cache
):
    url = reverse("institute:person_detail", args=["someone-new"])
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    PersonFactory(slug="someone-new")
    assert client.get(url).status_code == HTTPStatus.OK


def test_a_very_long_address_of_a_person_is_not_found(client, no_page_cache):
    url = reverse("institute:person_detail", args=["a" * 300])
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_a_theme_retired_is_not_found_at_once_though_its_page_was_kept(
    client, no_page_cache
):
    theme = ResearchThemeFactory(title="Devolution")
    assert client.get(theme.get_absolute_url()).status_code == HTTPStatus.OK
    theme.is_retired = True
    theme.save()
    assert client.get(theme.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_a_new_post_on_a_theme_shows_at_once_on_its_page(client, no_page_cache):
    theme = ResearchThemeFactory()
    client.get(theme.get_absolute_url())
    PostFactory(published=True, title="Newly on the theme").themes.add(theme)
    assert "Newly on the theme" in client.get(theme.get_absolute_url()).content.decode()


def test_someone_new_shows_at_once_on_the_people_page(client, no_page_cache):
    PersonFactory(name="Tom Arnold")
    client.get(reverse("institute:person_list"))
    PersonFactory(name="Cleo Baker")
    assert "Cleo Baker" in client.get(reverse("institute:person_list")).content.decode()
