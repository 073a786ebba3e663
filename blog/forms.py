from django import forms
from django.core.exceptions import ValidationError
from taggit.forms import TagField

from blog.models import Post
from heseltine.images import ImageFormField


class CommaTagField(TagField):
    """Tags separated by commas only, so "levelling up" is one tag."""

    def clean(self, value):
        value = forms.CharField.clean(self, value)
        names = {name.strip() for name in value.split(",")}
        return sorted(name for name in names if name)


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
