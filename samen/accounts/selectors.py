"""Reads about a user's own account: where they are logged in (their sessions), and whether
they log in with a second step."""

import datetime
import re
from dataclasses import dataclass
from importlib import import_module

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from .models import User


@dataclass(frozen=True)
class SessionRow:
    """One place where the user is logged in, as their sessions page shows it."""

    record: UserSession
    is_current: bool

    @property
    def pk(self) -> int:
        return self.record.pk

    @property
    def device(self) -> str:
        return describe_device(self.record.user_agent)

    @property
    def ip(self) -> str:
        return self.record.ip

    @property
    def started_at(self) -> datetime.datetime:
        return self.record.created_at

    @property
    def last_seen_at(self) -> datetime.datetime:
        return self.record.last_seen_at


def sessions_of(user: User, *, current_key: str | None) -> list[SessionRow]:
    """The sessions in which ``user`` is logged in now, the current one first, then the most
    recently seen. allauth records each login (``UserSession``); a record whose session ended
    (logged out, expired, ended elsewhere, or no longer valid because the password changed)
    is left out, and deleted at night (``sessions_clear_expired``).

    With sessions in the database this takes two queries, however many sessions there are
    (allauth's own list asks the session store once or twice per session)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if hasattr(store, "get_model_class"):
        # 1. The user's records of logins.
        records = list(UserSession.objects.filter(user=user))
        # 2. Their sessions that have not expired, read and checked here as Django's
        # get_user() would: the same user, a known backend, the password's hash.
        live = dict(
            store.get_model_class()
            .objects.filter(
                session_key__in=[record.session_key for record in records],
                expire_date__gt=timezone.now(),
            )
            .values_list("session_key", "session_data")
        )
        decode = store().decode
        records = [
            record
            for record in records
            if record.session_key in live and _logs_in(decode(live[record.session_key]), user)
        ]
    else:  # elsewhere: ask the store about each one, as allauth does
        records = UserSession.objects.purge_and_list(user)
    rows = [SessionRow(record, record.session_key == current_key) for record in records]
    return sorted(rows, key=lambda row: (not row.is_current, -row.last_seen_at.timestamp()))


def _logs_in(data: dict, user: User) -> bool:
    """Whether a session's data logs ``user`` in (``django.contrib.auth.get_user``'s checks)."""
    if str(data.get("_auth_user_id", "")) != str(user.pk):
        return False
    if data.get("_auth_user_backend") not in settings.AUTHENTICATION_BACKENDS:
        return False
    session_hash = data.get("_auth_user_hash") or ""
    hashes = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
    return any(constant_time_compare(session_hash, known) for known in hashes)


def has_second_step(user: User) -> bool:
    """Whether the user logs in with a code from an authenticator app."""
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


# The browser and the system in a user agent, most specific first: Edge and Opera name Chrome
# too, Chrome names Safari, and every browser on an iPhone names Safari.
_BROWSERS = [
    ("Edge", r"\bEdg(e|A|iOS)?/"),
    ("Opera", r"\bOPR/|\bOpera\b"),
    ("Samsung Internet", r"\bSamsungBrowser/"),
    ("Firefox", r"\bFirefox/|\bFxiOS/"),
    ("Chrome", r"\bChrome/|\bCriOS/|\bChromium/"),
    ("Safari", r"\bSafari/"),
]
_SYSTEMS = [
    ("iPhone", r"\biPhone\b"),
    ("iPad", r"\biPad\b"),
    ("Android", r"\bAndroid\b"),
    ("ChromeOS", r"\bCrOS\b"),
    ("Windows", r"\bWindows\b"),
    ("macOS", r"\bMacintosh\b|\bMac OS X\b"),
    ("Linux", r"\bLinux\b"),
]


def describe_device(user_agent: str) -> str:
    """A browser's user agent in a few words a person recognises: "Firefox on Android"."""
    browser = next((name for name, pattern in _BROWSERS if re.search(pattern, user_agent)), "")
    system = next((name for name, pattern in _SYSTEMS if re.search(pattern, user_agent)), "")
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("Unknown browser")
