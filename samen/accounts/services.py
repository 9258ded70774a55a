"""Writes to a user's own account: their language, ending their sessions."""

from allauth.usersessions.adapter import get_adapter as get_sessions_adapter
from allauth.usersessions.models import UserSession
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .models import Language, User


def user_language_set(*, user: User, language: str) -> User:
    """Store the language of the user's e-mails (and pages, on the device that chose it).
    Setting the language they have changes nothing."""
    if language not in Language.values:
        raise ValidationError(_("Choose Dutch or English."), code="language")
    if user.language != language:
        user.language = language
        User.objects.filter(pk=user.pk).update(language=language)
    return user


def sessions_end(*, request: HttpRequest, sessions: list[UserSession]) -> int:
    """Log the user out of these sessions of theirs: each session is deleted from the session
    store with allauth's record of it, so the browser that held it is logged out at its next
    request. Ending the current session logs this browser out too. Returns how many ended."""
    current_key = request.session.session_key
    others = [session for session in sessions if session.session_key != current_key]
    get_sessions_adapter().end_sessions(others)
    if len(others) < len(sessions):
        UserSession.objects.filter(session_key=current_key).delete()
        logout(request)
    return len(sessions)
