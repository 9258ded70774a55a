"""The expert's form to ask for a training. It validates and presents;
``experts.trainings.services.training_request_submit`` saves it (once, also when sent twice)."""

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from experts.models import Training


class TrainingRequestForm(forms.Form):
    """A training from the list, or one in the expert's own words, and a note."""

    training = forms.ModelChoiceField(
        label=_("Which training?"),
        queryset=Training.objects.order_by("name"),
        required=False,
        empty_label=_("Another training: I write it below"),
        error_messages={"invalid_choice": _("Choose a training from the list.")},
    )
    wish = forms.CharField(
        label=_("Another training"),
        max_length=200,
        required=False,
        help_text=_("Only when the training you would like is not in the list."),
    )
    note = forms.CharField(
        label=_("Anything else the coordinator should know?"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. For example why you would like it, or when you have time."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (
            "training" in cleaned
            and not cleaned["training"]
            and not cleaned.get("wish", "").strip()
            and "wish" not in self.errors
        ):
            self.add_error(
                "wish",
                _("Choose a training from the list, or write which training you would like."),
            )
        return cleaned
