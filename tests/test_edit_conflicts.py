"""One editor never silently overwrites another's change."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from heseltine.admin import EditConflictMixin
from institute.models import Page
from tests.factories import PageFactory, UserFactory

pytestmark = pytest.mark.django_db


class PageAdmin(EditConflictMixin, admin.ModelAdmin):
    fields = ["title", "slug", "standfirst", "body"]


def form_for(page, **changes):
    request = RequestFactory().get("/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    form_class = PageAdmin(Page, admin.site).get_form(request, page, change=True)
    opened = form_class(instance=page)
    data = {
        "title": page.title,
        "slug": page.slug,
        "standfirst": page.standfirst,
        "body": page.body,
        "opened_at": opened.initial["opened_at"],
        **changes,
    }
    return form_class(data, instance=Page.objects.get(pk=page.pk))


def test_a_form_opened_before_another_save_is_refused_and_keeps_its_input():
    page = PageFactory(title="Original")
    mine = form_for(page, title="My title")
    theirs = form_for(page, title="Their title")
    assert theirs.is_valid()
    theirs.save()

    assert not mine.is_valid()
    assert "Someone else saved this page" in str(mine.non_field_errors())
    assert mine["title"].value() == "My title"
    assert Page.objects.get(pk=page.pk).title == "Their title"


def test_saving_again_after_the_warning_is_a_deliberate_overwrite():
    page = PageFactory(title="Original")
    mine = form_for(page, title="My title")
    form_for(page, title="Their title").save()
    assert not mine.is_valid()

    resubmitted = form_for(page, title="My title", opened_at=mine.data["opened_at"])
    assert resubmitted.is_valid(), resubmitted.errors
    resubmitted.save()
    assert Page.objects.get(pk=page.pk).title == "My title"


def test_an_unchanged_row_saves_normally():
    page = PageFactory(title="Original")
    form = form_for(page, title="New title")
    assert form.is_valid(), form.errors
