"""E-mails to experts about their matches: composed here, sent by the tasks in ``tasks.py``.

Texts are plain (B1), in the expert's language: their account's choice (``samen/mail.py``),
Dutch for an expert without an account."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

from experts.models import Expert
from participation.models import Match
from samen.mail import email_for


def expert_email(expert: Expert) -> str:
    """The address to write to: the expert's own, else their account's; empty when neither."""
    if expert.email:
        return expert.email
    if expert.user_id and expert.user.email:
        return expert.user.email
    return ""


def has_expert_email() -> Q:
    """``expert_email`` in SQL, for a query of matches: the expert has an address to write to."""
    return Q(expert__email__gt="") | Q(expert__user__email__gt="")


def match_proposed_message(match: Match, *, reminder: bool = False) -> EmailMessage:
    """The e-mail that tells an expert they were proposed for a request, or reminds them."""
    expert = match.expert
    request = match.request

    def compose() -> EmailMessage:
        if reminder:
            subject = gettext("Reminder: can you help with “%(title)s”?") % {"title": request.title}
        else:
            subject = gettext("Can you help with “%(title)s”?") % {"title": request.title}
        body = render_to_string(
            "participation/requests/email/match_proposed.txt",
            {
                "expert": expert,
                "match": match,
                "request": request,
                "reminder": reminder,
                "answer_url": settings.SAMEN_SITE_URL + reverse("expert:commitments"),
            },
        )
        return EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[expert_email(expert)],
        )

    return email_for(expert.user, compose)
