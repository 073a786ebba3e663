from django import forms
from django.utils.html import format_html, format_html_join

from partnerships.models import Partnership


class Select(forms.Select):
    """Django's <select>, written out in Python rather than through templates.

    The same elements and attributes as Django's widget templates (which include
    a template per option and per attribute list) cost the programme page
    more than the rest of its form. Option groups are not needed here.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "\n",
            '  <option value="{}"{}>{}</option>',
            (
                (option["value"], attributes(option["attrs"]), option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html(
            '<select name="{}"{}>\n{}\n</select>',
            widget["name"],
            attributes(widget["attrs"]),
            options,
        )


def attributes(attrs):
    """' name="value"' for each attribute, as django/forms/widgets/attrs.html does.

    True gives the bare name, False leaves the attribute out; the order is kept.
    """
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(" {}", name)
                if value is True
                else format_html(' {}="{}"', name, value),
            )
            for name, value in attrs.items()
            if value is not False
        ),
    )


class PartnershipFilterForm(forms.Form):
    """The GET form that narrows the list of partnerships by phase and nation."""

    phase = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        widget=Select,
        error_messages={
            "invalid_choice": "There is no phase “%(value)s”: choose one from the list."
        },
    )
    nation = forms.ChoiceField(
        required=False,
        choices=[("", "All nations"), *Partnership.Nation.choices],
        widget=Select,
        error_messages={
            "invalid_choice": "“%(value)s” is not one of the nations listed: "
            "choose one from the list."
        },
    )

    def __init__(self, *args, phase_choices, **kwargs):
        """`phase_choices`: (number, label) pairs, one per phase of the programme."""
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = [("", "All phases"), *phase_choices]

    def filters(self):
        """The valid choices only: a bad value is reported and ignored."""
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "")
        }
