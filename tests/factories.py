"""Small factories: required fields only, sequences for unique values."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory

from blog.models import Post, PostAuthor
from blog.roles import ensure_roles
from institute.models import (
    FocusArea,
    InstituteProfile,
    Objective,
    Page,
    Person,
    Pillar,
    ResearchArea,
    ResearchTheme,
)

# --- Accounts -----------------------------------------------------------------


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct-horse-battery")

    class Params:
        staff = factory.Trait(is_staff=True)


# --- Institute ----------------------------------------------------------------


def member(group_name, username):
    """A staff user in one of the roles (Editors, Contributors)."""
    ensure_roles()
    user = UserFactory(username=username, staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


class InstituteProfileFactory(DjangoModelFactory):
    class Meta:
        model = InstituteProfile
        django_get_or_create = ["singleton"]

    singleton = True
    name = "Heseltine Institute for Public Policy, Practice and Place"
    short_name = "Heseltine Institute"
    strapline = "Public policy research at the University of Liverpool."
    summary = "<p>A public policy research institute.</p>"
    university = "University of Liverpool"
    address = "PO Box 147\nLiverpool"
    postcode = "L69 3BX"


class ObjectiveFactory(DjangoModelFactory):
    class Meta:
        model = Objective

    title = factory.Sequence(lambda n: f"Objective {n}")
    description = "What the institute does."
    order = factory.Sequence(int)


class ResearchThemeFactory(DjangoModelFactory):
    class Meta:
        model = ResearchTheme

    title = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")
    question = "How can places do better?"
    summary = "A research theme."
    order = factory.Sequence(int)

    class Params:
        retired = factory.Trait(is_retired=True)


class FocusAreaFactory(DjangoModelFactory):
    class Meta:
        model = FocusArea

    theme = factory.SubFactory(ResearchThemeFactory)
    title = factory.Sequence(lambda n: f"Focus area {n}")


class PillarFactory(DjangoModelFactory):
    class Meta:
        model = Pillar

    title = factory.Sequence(lambda n: f"Pillar {n}")
    slug = factory.Sequence(lambda n: f"pillar-{n}")
    summary = "A pillar of work."
    order = factory.Sequence(int)


class ResearchAreaFactory(DjangoModelFactory):
    class Meta:
        model = ResearchArea

    pillar = factory.SubFactory(PillarFactory)
    title = factory.Sequence(lambda n: f"Research area {n}")


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")
    role = "Researcher"


class PageFactory(DjangoModelFactory):
    class Meta:
        model = Page

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.Sequence(lambda n: f"page-{n}")
    standfirst = "What this page is about."
    body = "<p>Body text.</p>"

    class Params:
        published = factory.Trait(is_published=True)


# --- Blog ---------------------------------------------------------------------


class PostFactory(DjangoModelFactory):
    class Meta:
        model = Post

    title = factory.Sequence(lambda n: f"Post {n}")
    slug = factory.Sequence(lambda n: f"post-{n}")
    standfirst = "What this post is about."
    body = "<p>Body text.</p>"

    class Params:
        published = factory.Trait(
            status=Post.Status.PUBLISHED,
            published_at=factory.LazyFunction(timezone.now),
        )
        in_review = factory.Trait(status=Post.Status.REVIEW)


class PostAuthorFactory(DjangoModelFactory):
    class Meta:
        model = PostAuthor

    post = factory.SubFactory(PostFactory)
    person = factory.SubFactory(PersonFactory)


# --- Partnerships -------------------------------------------------------------


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = "partnerships.Programme"

    name = factory.Sequence(lambda n: f"Programme {n}")
    short_name = "PROG"
    slug = factory.Sequence(lambda n: f"programme-{n}")
    summary = "A programme of place partnerships."


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = "partnerships.Organisation"

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = "academic"


class ProgrammeRoleFactory(DjangoModelFactory):
    class Meta:
        model = "partnerships.ProgrammeRole"

    programme = factory.SubFactory(ProgrammeFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "academic_partner"


class PhaseFactory(DjangoModelFactory):
    class Meta:
        model = "partnerships.Phase"

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Stage {n}")
    purpose = "What the phase is for."
    partnerships_funded = 4


class PhaseChallengeFactory(DjangoModelFactory):
    class Meta:
        model = "partnerships.PhaseChallenge"

    phase = factory.SubFactory(PhaseFactory)
    description = factory.Sequence(lambda n: f"Challenge {n}")


class PartnershipFactory(DjangoModelFactory):
    class Meta:
        model = "partnerships.Partnership"

    name = factory.Sequence(lambda n: f"Partnership {n}")
    slug = factory.Sequence(lambda n: f"partnership-{n}")
    nation = "england"
    focus = "Local growth"
    challenge = "A local challenge."


class PartnershipPhaseFactory(DjangoModelFactory):
    class Meta:
        model = "partnerships.PartnershipPhase"

    partnership = factory.SubFactory(PartnershipFactory)
    phase = factory.SubFactory(PhaseFactory)
    status = "funded"
