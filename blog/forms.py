from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import Truncator
from taggit.forms import TagField
from taggit.models import Tag

from blog import services
from blog.models import Post
from heseltine.images import ImageFormField
from heseltine.text import clean_text

# A tag is a label: 50 characters is room for "Liverpool City Region Combined
# Authority", and keeps its address (slug) under the database's 100 even with
# the suffix taggit adds to tell two alike apart. Twenty tags are more than a
# post needs; each new one costs the save a few queries.
MAX_TAG_LENGTH = 50
MAX_TAGS = 20


def tag_name(text):
    """`text` as a tag's name: clean and trimmed, quotes around it dropped.

    Quotes are taggit's own way to write a tag with a space, so editors may
    type them; and the old widget piled them up around every such tag. A name
    with quotes inside (`the "northern powerhouse"`) keeps them all.
    """
    name = clean_text(text, single_line=True).strip()
    unquoted = name.strip('"').strip()
    return name if '"' in unquoted else unquoted


def validate_tag_name(name):
    if "," in name:
        raise ValidationError(
            "A tag cannot contain a comma: commas separate tags.", code="comma"
        )
    if max(len(name), len(Tag().slugify(name))) > MAX_TAG_LENGTH:
        raise ValidationError(
            "A tag can have at most %(max)d characters; “%(tag)s” has %(length)d.",
            code="tag_too_long",
            params={
                "max": MAX_TAG_LENGTH,
                "tag": Truncator(name).chars(30),
                "length": len(name),
            },
        )


class CommaTagWidget(forms.TextInput):
    """The tags' names as they are, separated by commas.

    taggit's widget quotes a name with a space in it, for its own parser; the
    field below splits at commas only, so the quotes became part of the name,
    one more pair at every save.
    """

    def format_value(self, value):
        if value is not None and not isinstance(value, str):
            value = ", ".join(sorted((tag.name for tag in value), key=str.casefold))
        return super().format_value(value)


class CommaTagField(TagField):
    """Tags separated by commas only, so "levelling up" is one tag."""

    widget = CommaTagWidget

    def clean(self, value):
        value = forms.CharField.clean(self, value)
        names = {}  # case-insensitive, as the tags are
        for part in value.split(","):
            if name := tag_name(part):
                names.setdefault(name.casefold(), name)
        errors = []
        for name in names.values():
            try:
                validate_tag_name(name)
            except ValidationError as error:
                errors.append(error)
        if len(names) > MAX_TAGS:
            errors.append(
                ValidationError(
                    "A post can have at most %(max)d tags; this one has %(count)d.",
                    code="too_many_tags",
                    params={"max": MAX_TAGS, "count": len(names)},
                )
            )
        if errors:
            raise ValidationError(errors)
        return sorted(names.values())


class TagAdminForm(forms.ModelForm):
    """A tag renamed in the admin follows the post form's rules."""

    class Meta:
        model = Tag
        fields = ["name", "slug"]

    def clean_name(self):
        name = tag_name(self.cleaned_data["name"])
        validate_tag_name(name)
        return name


# The buttons of a post's page, by name, and the move each asks for.
WORKFLOW_BUTTONS = {
    "_save": services.SAVE,
    "_continue": services.SAVE,
    "_submit_review": services.SUBMIT,
    "_publish": services.PUBLISH,
    "_schedule": services.SCHEDULE,
    "_request_changes": services.REQUEST_CHANGES,
    "_unpublish": services.UNPUBLISH,
}
EDITORS_ONLY = {
    services.PUBLISH,
    services.SCHEDULE,
    services.REQUEST_CHANGES,
    services.UNPUBLISH,
}


def workflow_action(data):
    """The move the pressed button asks for: Save when none, None when several."""
    pressed = {action for name, action in WORKFLOW_BUTTONS.items() if name in data}
    if not pressed:
        return services.SAVE
    return pressed.pop() if len(pressed) == 1 else None


class WorkflowForm(forms.ModelForm):
    """A form whose buttons move its item through the workflow: a post's, or
    a project's, publication's or event's. Which move this user may make is
    checked here, on the server, whatever buttons the page offered; the state
    is never a field.

    `user` and `workflow_action` are set by the admin's get_form(); subclasses
    say which moves this user may make and what the item's state is called.
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
        help_text="What should change. The author sees it on its page and in "
        "their email.",
    )

    def may_publish(self):
        raise NotImplementedError

    def allowed_actions(self, item):
        """The moves `self.user` may make on `item` (None: a new one)."""
        raise NotImplementedError

    def state_of(self, item):
        raise NotImplementedError

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The split widget's two inputs share one label: each says what it is.
        date, time = self.fields["publish_at"].widget.widgets
        date.attrs["aria-label"] = "Publication date, e.g. 18/07/2024"
        time.attrs["aria-label"] = "Publication time, e.g. 10:00"
        # Enter in either schedules, rather than pressing the form's first
        # button, "Save draft" (blog/enter-presses.js; without it, clean()
        # below says to press "Schedule").
        for widget in (date, time):
            widget.attrs["data-enter-presses"] = "_schedule"
        if self.user is not None and not self.may_publish():
            # Only editors schedule or send back: contributors get no such field.
            del self.fields["publish_at"]
            del self.fields["review_note"]

    def clean(self):
        cleaned_data = super().clean()
        if self.user is None:
            return cleaned_data
        meta = self._meta.model._meta
        noun = meta.verbose_name
        action = self.workflow_action
        item = self.instance if self.instance.pk else None
        if action is None:
            raise ValidationError(
                "Press one button at a time: nothing was saved.", code="two_buttons"
            )
        if action not in self.allowed_actions(item):
            if action in EDITORS_ONLY and not self.may_publish():
                raise ValidationError(
                    "Only editors can publish, schedule, unpublish or send back "
                    "%(kinds)s. Save it as a draft and submit it for review instead.",
                    code="not_an_editor",
                    params={"kinds": meta.verbose_name_plural},
                )
            raise ValidationError(
                "That cannot be done to this %(noun)s as it is now (%(state)s). "
                "Nothing was saved: reload the page to see what you can do.",
                code="not_now",
                params={"noun": noun, "state": self.state_of(item).lower()},
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
                "You gave a publication time: press “Schedule” to schedule the "
                f"{noun} for then, or clear the time.",
            )
        note = (cleaned_data.get("review_note") or "").strip()
        if action == services.REQUEST_CHANGES and not note:
            self.add_error(
                "review_note",
                "Say what should change: the author sees this note.",
            )
        return cleaned_data


class PostAdminForm(WorkflowForm):
    """The post form: its fields, and the posts' workflow rules."""

    class Meta:
        model = Post
        fields = [
            "title",
            "slug",
            "standfirst",
            "body",
            "featured_image",
            "featured_image_alt",
            "themes",
            "tags",
        ]
        field_classes = {"tags": CommaTagField, "featured_image": ImageFormField}

    def may_publish(self):
        return self.user.has_perm("blog.publish_post")

    def allowed_actions(self, item):
        return services.post_actions(post=item, user=self.user)

    def state_of(self, item):
        return post_state(item)


def post_state(post):
    """The post's state in words: Draft, In review, Scheduled or Live."""
    if post is None or post.status == Post.Status.DRAFT:
        return "Draft"
    if post.status == Post.Status.REVIEW:
        return "In review"
    return "Scheduled" if post.is_scheduled else "Live"
