from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.mail import EmailMessage
from django.http import HttpRequest

from samen.mail import email_for

from .models import User


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """People join through the coordinator's invitation; open sign-up is off by default."""
        return settings.SAMEN_OPEN_SIGNUP

    def render_mail(
        self,
        template_prefix: str,
        email: str | list[str],
        context: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> EmailMessage:
        """allauth's e-mails (a new password, a confirmation, a notice) in the language of the
        account they go to, not of the page that asked for them (``samen/mail.py``)."""
        return email_for(
            _recipient(email, context),
            lambda: super(AccountAdapter, self).render_mail(
                template_prefix, email, context, headers=headers
            ),
        )


def _recipient(email: str | list[str], context: dict[str, Any]) -> User | None:
    """The account an allauth e-mail goes to: the one in its context, else the one with the
    address (a notice names no user); None for an address without an account."""
    user = context.get("user")
    if isinstance(user, User):
        return user
    if isinstance(email, str):
        return User.objects.filter(email__iexact=email).first()
    return None
