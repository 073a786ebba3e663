from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.utils import timezone

from work import services
from work.models import Status

EDITORS_ONLY = {
    services.PUBLISH,
    services.SCHEDULE,
    services.REQUEST_CHANGES,
    services.UNPUBLISH,
}


def item_state(item):
    """The item's state in words: Draft, In review, Scheduled or Live."""
    if item is None or item.status == Status.DRAFT:
        return "Draft"
    if item.status == Status.REVIEW:
        return "In review"
    return "Scheduled" if item.is_scheduled else "Live"


class WorkItemAdminForm(forms.ModelForm):
    """A project's, publication's or event's form, with the posts' buttons.

    Which move this user may make is checked here, on the server, whatever
    buttons the page offered; the state is never a field. `user` and
    `workflow_action` are set by the admin (WorkflowAdmin.get_form).
    """

    user = None
    workflow_action = services.SAVE

    publish_at = forms.SplitDateTimeField(
        label="Publication time",
        required=False,
        widget=AdminSplitDateTime,
        help_text="UK time. It goes live by itself then.",
    )
    review_note = forms.CharField(
        label="Note to the author",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="What should change. The author sees it on this page and in "
        "their email.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        date, time = self.fields["publish_at"].widget.widgets
        date.attrs["aria-label"] = "Publication date, e.g. 18/07/2024"
        time.attrs["aria-label"] = "Publication time, e.g. 10:00"
        # Enter in either schedules, as on a post's page (blog/enter-presses.js).
        for widget in (date, time):
            widget.attrs["data-enter-presses"] = "_schedule"
        model = self._meta.model
        if self.user is not None and not services.may_publish(
            user=self.user, model=model
        ):
            # Only editors schedule or send back: contributors get no such field.
            del self.fields["publish_at"]
            del self.fields["review_note"]

    def clean(self):
        cleaned_data = super().clean()
        if self.user is None:
            return cleaned_data
        model = self._meta.model
        noun = model._meta.verbose_name
        action = self.workflow_action
        item = self.instance if self.instance.pk else None
        if action is None:
            raise ValidationError(
                "Press one button at a time: nothing was saved.", code="two_buttons"
            )
        if action not in services.item_actions(model=model, item=item, user=self.user):
            if action in EDITORS_ONLY and not services.may_publish(
                user=self.user, model=model
            ):
                raise ValidationError(
                    "Only editors can publish, schedule, unpublish or send back "
                    "%(kinds)s. Save it as a draft and submit it for review instead.",
                    code="not_an_editor",
                    params={"kinds": model._meta.verbose_name_plural},
                )
            raise ValidationError(
                "That cannot be done to this %(noun)s as it is now (%(state)s). "
                "Nothing was saved: reload the page to see what you can do.",
                code="not_now",
                params={"noun": noun, "state": item_state(item).lower()},
            )
        publish_at = cleaned_data.get("publish_at")
        if action == services.SCHEDULE:
            if publish_at is None:
                if "publish_at" not in self.errors:
                    self.add_error(
                        "publish_at",
                        f"Give the date and time (UK time) the {noun} should go live.",
                    )
            elif publish_at <= timezone.now():
                self.add_error(
                    "publish_at",
                    "That time has passed: give a time in the future, or press "
                    "“Publish now”.",
                )
        elif publish_at is not None:
            # A time given with another button would be lost without a word.
            self.add_error(
                "publish_at",
                f"You gave a publication time: press “Schedule” to schedule the "
                f"{noun} for then, or clear the time.",
            )
        note = (cleaned_data.get("review_note") or "").strip()
        if action == services.REQUEST_CHANGES and not note:
            self.add_error(
                "review_note", "Say what should change: the author sees this note."
            )
        return cleaned_data
