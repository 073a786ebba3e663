"""Admin pieces shared by every app."""

import difflib
import re

import reversion
from ckeditor_uploader.fields import RichTextUploadingField
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.text import capfirst
from reversion.admin import VersionAdmin
from reversion.models import Version

CONFLICT_MESSAGE = (
    "Someone else saved this %(name)s at %(when)s, after you opened it. Your "
    "changes are still in the form but have not been saved. %(differences)s"
    "Open the %(name)s in a new tab to see their version, then save again here "
    "to overwrite it."
)
NO_VERSION_MESSAGE = (
    "This form did not say which version of the %(name)s it was opened on, so "
    "it was not saved. Reload the page and make your change again."
)


class EditConflictMixin:
    """Refuse to save over a change another editor made since this form opened.

    For models with an `updated_at` field. The rendered change form carries the
    `updated_at` it was opened with (a hidden field, rendered by the template
    below); if the row has changed since, the save is refused with a message
    and the editor's input stays in the form. Saving again after that is a
    deliberate overwrite.
    """

    change_form_template = "admin/edit_conflict_change_form.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            kwargs["form"] = type(self.form.__name__, (EditConflictForm, self.form), {})
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        # Rendered once, by the template, also for admins without fieldsets.
        return [
            name for name in super().get_fields(request, obj) if name != "opened_at"
        ]


class EditConflictForm(forms.ModelForm):
    opened_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["opened_at"] = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned_data = super().clean()
        if not self.instance.pk:
            return cleaned_data
        name = self.instance._meta.verbose_name
        opened_at = cleaned_data.get("opened_at")
        if not opened_at:
            raise ValidationError(
                NO_VERSION_MESSAGE, code="no_version", params={"name": name}
            )
        # The admin saves inside a transaction: this row lock is held until the
        # save is committed, so of two simultaneous saves the second waits and
        # then sees the first (PostgreSQL; SQLite lets one writer in at a time).
        saved_at = (
            type(self.instance)
            ._default_manager.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("updated_at", flat=True)
            .first()
        )
        if saved_at and saved_at.isoformat() != opened_at:
            # The next submit is a deliberate overwrite.
            self.data = self.data.copy()
            self.data["opened_at"] = saved_at.isoformat()
            raise ValidationError(
                CONFLICT_MESSAGE,
                code="edit_conflict",
                params={
                    "name": name,
                    "when": formats.date_format(
                        timezone.localtime(saved_at), "H:i:s \\o\\n j F Y"
                    ),
                    "differences": self.differences(),
                },
            )
        return cleaned_data

    def differences(self):
        """Which fields of the form differ from the version saved since."""
        labels = [
            str(capfirst(self.fields[name].label or name))
            for name in self.changed_data
            if name != "opened_at" and name in self.fields
        ]
        if not labels:
            return ""
        return "Your version differs from theirs in: " + ", ".join(labels) + ". "


class VersionsMixin(VersionAdmin):
    """Every saved version of a record: see, compare and restore; and a bin.

    django-reversion keeps a version on each save through the admin (with the
    record's inlines and, for posts, tags and bylines). These overrides make
    its views keep to the same rules as the change page: only records this
    user may see, only versions of this record, and only editors (who may
    delete) may recover deleted records.
    """

    object_history_template = "admin/versions/object_history.html"
    revision_form_template = "admin/versions/revision_form.html"
    recover_form_template = "admin/versions/recover_form.html"
    change_list_template = "admin/versions/change_list.html"
    history_latest_first = True

    def get_urls(self):
        opts = self.model._meta
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name=f"{opts.app_label}_{opts.model_name}_compare",
        )
        return [compare, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        context = {
            "can_recover": self.has_delete_permission(request),
            **(extra_context or {}),
        }
        if request.method == "POST":  # actions: keep a version of what they save
            return super().changelist_view(request, context)
        # Reading the list saves nothing: no revision, and no transaction for it.
        return admin.ModelAdmin.changelist_view(self, request, context)

    def delete_model(self, request, obj):
        self._keep_for_the_bin(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self._keep_for_the_bin(request, queryset)
        super().delete_queryset(request, queryset)

    def _keep_for_the_bin(self, request, objs):
        # The last version before deletion is what "Recover" brings back, also
        # for records never saved in the admin (the demo content, say).
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment("Deleted.")
            for obj in objs:
                reversion.add_to_revision(obj)

    def _missing(self, request, object_id):
        # As the change page answers for a record this user may not see.
        return self._get_obj_does_not_exist_redirect(
            request, self.model._meta, object_id
        )

    def _versions(self, obj):
        return Version.objects.get_for_object(obj).select_related("revision")

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._missing(request, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        opts = self.model._meta
        revision_url = (
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision"
        )
        action_list = [
            {
                "revision": version.revision,
                "version_id": version.pk,
                "url": reverse(revision_url, args=(quote(obj.pk), version.pk)),
            }
            for version in self._versions(obj)
            .select_related("revision__user")
            .order_by("-revision__date_created", "-pk")
        ]
        context = {"action_list": action_list, **(extra_context or {})}
        return super().history_view(request, object_id, context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._missing(request, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        # A version of this record, not of another model with the same id.
        version = get_object_or_404(self._versions(obj), pk=version_id)
        saved = timezone.localtime(version.revision.date_created)
        context = {
            "version_date": formats.date_format(saved, "DATETIME_FORMAT"),
            **(extra_context or {}),
        }
        return super().revision_view(request, object_id, version_id, context)

    def recoverlist_view(self, request, extra_context=None):
        if not self.has_delete_permission(request):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_delete_permission(request):
            raise PermissionDenied
        get_object_or_404(Version.objects.get_deleted(self.model), pk=version_id)
        return super().recover_view(request, version_id, extra_context)

    def compare_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._missing(request, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = self._versions(obj)
        older = get_object_or_404(versions, pk=request.GET.get("from") or 0)
        newer = get_object_or_404(versions, pk=request.GET.get("to") or 0)
        if older.revision.date_created > newer.revision.date_created:
            older, newer = newer, older
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": f"Compare versions of {obj}",
            "subtitle": None,
            "opts": opts,
            "original": obj,
            "object_id": object_id,
            "older": older,
            "newer": newer,
            "rows": version_differences(self.model, older, newer),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/versions/compare.html", context)


# Fields whose changes say nothing to an editor.
UNCOMPARED = {"id", "created_at", "updated_at", "search_document"}


def version_differences(model, older, newer):
    """What changed between two versions: (label, before, after, diff) rows."""
    rows = []
    for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        name = field.attname if field.concrete else field.name
        if name in UNCOMPARED or name.endswith("_renditions") or not field.editable:
            continue
        before = older.field_dict.get(field.name)
        after = newer.field_dict.get(field.name)
        if before == after:
            continue
        before, after = _shown(field, before), _shown(field, after)
        rows.append((capfirst(field.verbose_name), word_diff(before, after)))
    for label, before, after in _followed_differences(older, newer):
        rows.append((label, word_diff(before, after)))
    return rows


def _shown(field, value):
    if value is None or value == "":
        return ""
    if isinstance(field, RichTextUploadingField):
        return strip_tags(value)
    if field.many_to_many or field.many_to_one:
        related = field.related_model._default_manager.filter(
            pk__in=value if field.many_to_many else [value]
        )
        return ", ".join(sorted(str(item) for item in related))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _followed_differences(older, newer):
    """Inlines, bylines and tags saved with each version, by kind."""

    def followed(version):
        kinds = {}
        for other in version.revision.version_set.exclude(pk=version.pk):
            model = other.content_type.model_class()
            if model is None:
                continue
            label = capfirst(model._meta.verbose_name_plural)
            kinds.setdefault(label, []).append(other.object_repr)
        return {label: ", ".join(sorted(reprs)) for label, reprs in kinds.items()}

    before, after = followed(older), followed(newer)
    for label in sorted(set(before) | set(after)):
        if before.get(label, "") != after.get(label, ""):
            yield label, before.get(label, ""), after.get(label, "")


def word_diff(before, after):
    """HTML of `before` changed into `after`, word by word, in <del> and <ins>."""
    old, new = before.split(), after.split()
    parts = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(" ".join(old[a1:a2]))
            continue
        if a2 > a1:
            parts.append(format_html("<del>{}</del>", " ".join(old[a1:a2])))
        if b2 > b1:
            parts.append(format_html("<ins>{}</ins>", " ".join(new[b1:b2])))
    # Plain words are escaped here; <del> and <ins> are format_html's.
    return format_html_join(" ", "{}", ((part,) for part in parts))


# The address pattern in a slug's help text: /blog/<slug>/, /about/#<slug>.
ADDRESS_PATTERN = re.compile(r"(/\S*?)<slug>(\S*?)(?=\.?(?:\s|$))")


def address_help(text, obj=None):
    """`text` with its address pattern made a real address, escaped as HTML.

    The admin shows help text as HTML, so "/blog/<slug>/" reached editors as
    "/blog//". Once the record is saved, its address now follows.
    """
    text = str(text)
    match = ADDRESS_PATTERN.search(text)
    if match is None:
        return text
    pattern = f"{settings.SITE_URL}{match[1]}<slug>{match[2]}"
    now = ""
    if obj is not None and obj.pk:
        now = f" (now {settings.SITE_URL}{obj.get_absolute_url()})"
    return format_html(
        "{}{}{}{}", text[: match.start()], pattern, now, text[match.end() :]
    )


class SlugAddressMixin:
    """The slug's help text shows the address it makes (`address_help`)."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        slug = form.base_fields.get("slug")
        if slug is not None:
            slug.help_text = address_help(slug.help_text, obj)
        return form


class OrderedListMixin:
    """A list kept in its `order`: drag a row, or press Up or Down, then Save.

    The script (static/js/admin-ordering.js) only rewrites the order numbers,
    which stay editable in the list (`list_editable`) and on each record's
    page for those who prefer them. Saving goes through the list's own form:
    the same permissions, versions and content stamp as any save.
    """

    class Media:
        js = ["js/admin-ordering.js"]

    def get_changelist_form(self, request, **kwargs):
        kwargs.setdefault("form", OrderNumberForm)
        return super().get_changelist_form(request, **kwargs)


class OrderNumberForm(forms.ModelForm):
    """A row of an ordered list: its number input says whose number it is.

    Django's list gives its inputs no label; a screen reader would announce
    a row of unnamed number boxes.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "order" in self.fields:
            label = f"Order of “{self.instance}”"
            self.fields["order"].widget.attrs["aria-label"] = label


class TextListFilter(admin.SimpleListFilter):
    """A list filter the editor types into, for values too many to list.

    A sidebar listing every tag or every person is a wall of links at 500 of
    them. This is a small GET form with one text input: it keeps the list's
    other filters, search and ordering, works without JavaScript, and offers
    suggestions from the URL named `suggest_url_name` (blog/tag-suggest.js).
    """

    template = "admin/text_filter.html"
    label = ""
    suggest_url_name = None

    def __init__(self, request, params, model, model_admin):
        # The list's own address, for a link that clears only this filter.
        self.path = request.path
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return ()

    def has_output(self):
        return True

    def value(self):
        return (super().value() or "").strip()

    def choices(self, changelist):
        # One "choice": the form. Django's filter template takes choices only.
        name = self.parameter_name
        yield {
            "name": name,
            "value": self.value(),
            "label": self.label,
            "suggest_url": self.suggest_url_name and reverse(self.suggest_url_name),
            "others": [
                (key, value) for key, value in changelist.params.items() if key != name
            ],
            "clear_url": self.path + changelist.get_query_string(remove=[name]),
        }
