from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from participation.models import AttendanceStatus


class ProposalAnswerForm(forms.Form):
    """The expert's own answer to a proposal: yes, or no with the reason."""

    YES = "yes"
    NO = "no"

    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[(YES, _("Yes")), (NO, _("No"))],
        error_messages={
            "required": _("Choose yes or no."),
            "invalid_choice": _("Choose yes or no."),
        },
    )
    reason = forms.CharField(
        label=_("Why not? The coordinator reads this."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("answer") == self.NO and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Write in a few words why you say no."))
        return cleaned


class MeetingAnswerForm(forms.Form):
    """Coming or not coming to a meeting."""

    answer = forms.ChoiceField(
        choices=[
            (AttendanceStatus.COMING, _("I am coming")),
            (AttendanceStatus.DECLINED, _("I am not coming")),
        ],
        error_messages={
            "required": _("Choose whether you are coming."),
            "invalid_choice": _("Choose whether you are coming."),
        },
    )
