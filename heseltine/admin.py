"""Admin pieces shared by every app."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone

CONFLICT_MESSAGE = (
    "Someone else saved this %(name)s at %(when)s, after you opened it. Your "
    "changes are still in the form but have not been saved: open the %(name)s "
    "in a new tab to see their version, then save again here to overwrite it."
)


class EditConflictMixin:
    """Refuse to save over a change another editor made since this form opened.

    For models with an `updated_at` field. The form carries the `updated_at`
    it was opened with; if the row has changed since, the save is refused with
    a message and the editor's input stays in the form. Saving again after
    that is a deliberate overwrite.
    """

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form_class
        return type(form_class.__name__, (EditConflictForm, form_class), {})


class EditConflictForm(forms.ModelForm):
    opened_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["opened_at"] = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned_data = super().clean()
        opened_at = self.cleaned_data.get("opened_at")
        if self.instance.pk and opened_at:
            saved_at = (
                type(self.instance)
                ._default_manager.filter(pk=self.instance.pk)
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
                        "name": self.instance._meta.verbose_name,
                        "when": formats.date_format(
                            timezone.localtime(saved_at), "H:i:s \\o\\n j F Y"
                        ),
                    },
                )
        return cleaned_data
