"""Admin pieces shared by every app."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.text import capfirst

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
