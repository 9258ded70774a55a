from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _


class _Helped(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ErasureAskForm(_Helped):
    """The expert asks for erasure, after reading what it does."""

    understood = forms.BooleanField(
        label=_("I understand that my data cannot be brought back after it is erased."),
        error_messages={"required": _("Tick the box to say you understand this.")},
    )


class ErasureConfirmForm(_Helped):
    """The coordinator confirms an erasure after checking what it deletes."""

    checked = forms.BooleanField(
        label=_("I checked this: erase everything of this person, except what is kept."),
        error_messages={"required": _("Tick the box to say you checked this.")},
    )


class ErasureRefuseForm(_Helped):
    """The coordinator refuses, with a reason the expert reads on their page."""

    reason = forms.CharField(
        label=_("Why not? The ExpEx or parent reads this on their page."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why, so the expert knows what to do.")},
    )
