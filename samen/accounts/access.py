"""Who may open which object of a user's own account. Each user reaches only their own:
another user's record answers 404."""

from allauth.usersessions.models import UserSession
from django.http import HttpRequest
from django.shortcuts import get_object_or_404


def get_user_session_for_user(request: HttpRequest, pk: int) -> UserSession:
    """A record of one of the logged-in user's own sessions; 404 for anyone else's."""
    return get_object_or_404(UserSession, pk=pk, user=request.user)
