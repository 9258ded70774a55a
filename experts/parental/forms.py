"""The expert's form to ask a parent, and the parent's answer on their link's page."""

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from experts.consents.forms import ConsentChoicesForm

from .models import PARENT_RELATIONS


class ParentAskForm(forms.Form):
    """Who the parent or guardian is and where the link goes. ``latest`` is the request the
    page showed (0: none), so the same form sent twice asks once."""

    parent_name = forms.CharField(label=_("Name of your parent or guardian"), max_length=150)
    parent_email = forms.EmailField(
        label=_("Their e-mail address"),
        help_text=_("They get an e-mail with a link. They do not need an account."),
    )
    relation = forms.ChoiceField(
        label=_("This is your"), choices=PARENT_RELATIONS, widget=forms.RadioSelect
    )
    latest = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent_email"].widget.attrs["autocomplete"] = "email"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ParentAnswerForm(ConsentChoicesForm):
    """The parent's name, and yes or no per purpose."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name = forms.CharField(
            label=_("Your name"),
            max_length=150,
            help_text=_("Samen records who gave the answer."),
        )
        name.widget.attrs["autocomplete"] = "name"
        self.fields = {"name": name, **self.fields}


class ResendForm(forms.Form):
    """The coordinator's button: the request the page showed, so a second click sends once."""

    latest = forms.IntegerField(min_value=0)
