from django import forms

from partnerships.models import Partnership


class PartnershipFilterForm(forms.Form):
    """The GET form that narrows the list of partnerships by phase and nation."""

    phase = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={
            "invalid_choice": "There is no phase “%(value)s”: choose one from the list."
        },
    )
    nation = forms.ChoiceField(
        required=False,
        choices=[("", "All nations"), *Partnership.Nation.choices],
        error_messages={
            "invalid_choice": "“%(value)s” is not one of the nations listed: "
            "choose one from the list."
        },
    )

    def __init__(self, *args, phases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = [
            ("", "All phases"),
            *((phase.number, str(phase)) for phase in phases),
        ]

    def filters(self):
        """The valid choices only: a bad value is reported and ignored."""
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "")
        }
