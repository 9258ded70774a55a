"""The URL map, door by door.

Each door is one prefix and one namespace: ``/coordinator/`` (``coordinator:``), ``/trekker/``
(``lead:``), ``/mijn/`` (``expert:``), and the admin site at ``/beheer/``. Every app lists its
pages per door in its ``urls.py`` (lists named ``coordinator``, ``lead`` and ``expert``); this
module joins them, in the order the apps depend on each other. The few pages without an
account (an invitation's link, an expert's calendar link) are at the root, from the apps'
``public`` lists. ``samen.accounts`` comes first: the account pages of experts and leads."""

from itertools import chain

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

import experts.urls
import participation.urls
from samen.accounts import urls as account_urls
from samen.accounts import views as account_views
from samen.accounts.models import Door

APPS = [account_urls, experts.urls, participation.urls]
DOOR_PREFIXES = {
    Door.COORDINATOR: "coordinator/",
    Door.LEAD: "trekker/",
    Door.EXPERT: "mijn/",
}


def door_patterns(door: str) -> tuple[list, str]:
    """Every app's pages of one door, under the door's namespace."""
    return list(chain.from_iterable(getattr(app, door) for app in APPS)), door


urlpatterns = [
    path("", account_views.home, name="home"),
    path("health/", account_views.health, name="health"),
    # Django's language switch, which also stores a logged-in user's language.
    path("i18n/setlang/", account_views.language_set, name="set_language"),
    # allauth's list of sessions, drawn by Samen (fewer queries, one session can be ended).
    path("accounts/sessions/", account_views.sessions, name="usersessions_list"),
    path("accounts/sessions/<int:pk>/end/", account_views.session_end, name="session_end"),
    path("accounts/", include("allauth.urls")),
    path("beheer/", admin.site.urls),
    # Without a door and without an account: an invitation's link, a calendar link.
    *experts.urls.public,
    *participation.urls.public,
    *(path(prefix, include(door_patterns(door))) for door, prefix in DOOR_PREFIXES.items()),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
