"""Every e-mail Samen sends is composed here, in the language of the person it goes to.

A person with an account chose their language (``User.language``: Dutch unless they chose
English, on their account page or with the language switch). Someone without an account (a
request's contact person, an address allauth does not know) gets the site's language, Dutch.
The language is the recipient's, never the language of the page that caused the e-mail: a
coordinator who works in English still invites a Dutch parent in Dutch.

``email_for(recipient, compose)`` is the one way in: ``compose`` builds the message (subject
and body through gettext and templates) while the recipient's language is active, and the
message says its language in a ``Content-Language`` header. The senders (the invitation, the
match e-mails, allauth's e-mails through ``AccountAdapter``) all call it;
``tests/test_mail_language.py`` checks that every e-mail sent in the tests has that header.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation

if TYPE_CHECKING:
    from samen.accounts.models import User

LANGUAGE_HEADER = "Content-Language"

Message = TypeVar("Message", bound=EmailMessage)


def recipient_language(recipient: User | None) -> str:
    """The language of e-mails to this person: their own choice, else the site's."""
    language = getattr(recipient, "language", "") or ""
    if language in dict(settings.LANGUAGES):
        return language
    return settings.LANGUAGE_CODE


def email_for(
    recipient: User | None, compose: Callable[[], Message], *, language: str = ""
) -> Message:
    """The message ``compose()`` builds, built in the recipient's language and marked with
    it. ``recipient`` is the account of the person the message goes to, or None;
    ``language`` is the recipient's language kept from before their account was deleted
    (the last e-mail after an erasure)."""
    if language not in dict(settings.LANGUAGES):
        language = recipient_language(recipient)
    with translation.override(language):
        message = compose()
    message.extra_headers[LANGUAGE_HEADER] = language
    return message
