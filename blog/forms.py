from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import Truncator
from taggit.forms import TagField
from taggit.models import Tag

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


class PostAdminForm(forms.ModelForm):
    """The post form; who may publish is checked here, not only in the UI."""

    user = None

    class Meta:
        model = Post
        fields = [
            "title",
            "slug",
            "standfirst",
            "body",
            "featured_image",
            "featured_image_alt",
            "status",
            "published_at",
            "themes",
            "tags",
        ]
        field_classes = {"tags": CommaTagField, "featured_image": ImageFormField}

    def clean(self):
        cleaned_data = super().clean()
        user = self.user
        if user is None or user.has_perm("blog.publish_post"):
            return cleaned_data
        publishing = cleaned_data.get("status") == Post.Status.PUBLISHED
        if publishing or "published_at" in self.changed_data:
            raise ValidationError(
                "Only editors can publish or schedule posts. Save it as a draft "
                "and submit it for review instead.",
                code="not_an_editor",
            )
        return cleaned_data
