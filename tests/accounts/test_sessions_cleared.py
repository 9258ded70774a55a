"""Sessions that ended are deleted every night, with allauth's record of them (IP address and
browser): nothing of a visit stays behind in the database."""

import datetime

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from samen.accounts import tasks
from samen.celery import app as celery_app
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _logged_in(email: str) -> Client:
    """A client logged in, with the record allauth makes at a login through its form."""
    client = Client()
    user = UserFactory(email=email)
    client.force_login(user)
    UserSession.objects.create(user=user, session_key=_key(client), ip="127.0.0.1")
    return client


def _key(client: Client) -> str:
    return client.session.session_key


def test_expired_sessions_and_their_records_are_deleted_and_live_ones_kept():
    live, expired = _logged_in("blijft@samen.test"), _logged_in("verlopen@samen.test")
    Session.objects.filter(session_key=_key(expired)).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    # The record of a session that was deleted another way (a logout) is left over too.
    UserSession.objects.create(
        user=UserFactory(email="weg@samen.test"), session_key="al-weg", ip="127.0.0.1"
    )

    assert tasks.sessions_clear_expired() == 2
    assert tasks.sessions_clear_expired() == 0  # a second run finds nothing

    assert list(Session.objects.values_list("session_key", flat=True)) == [_key(live)]
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [_key(live)]
    response = live.get("/")  # still logged in: home sends them on to their door
    assert response.status_code == 302
    assert "login" not in response["Location"]


def test_with_sessions_outside_the_database_each_record_is_checked(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    live = _logged_in("blijft@samen.test")
    UserSession.objects.create(
        user=UserFactory(email="weg@samen.test"), session_key="al-weg", ip="127.0.0.1"
    )

    assert tasks.sessions_clear_expired() == 1
    assert tasks.sessions_clear_expired() == 0

    assert list(UserSession.objects.values_list("session_key", flat=True)) == [_key(live)]


def test_the_job_runs_every_night():
    celery_app.loader.import_default_modules()
    entries = [
        entry
        for entry in celery_app.conf.beat_schedule.values()
        if entry["task"] == tasks.sessions_clear_expired.name
    ]
    assert len(entries) == 1
    assert entries[0]["task"] in celery_app.tasks
    schedule = entries[0]["schedule"]
    assert (len(schedule.hour), len(schedule.minute), len(schedule.day_of_week)) == (1, 1, 7)
