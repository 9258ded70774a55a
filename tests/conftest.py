"""Shared fixtures: the five visitors (anonymous, expert, lead, coordinator, admin) and the
"other" expert and lead for the can't-see-it cases."""

import os

import factory.random
import pytest
from django.test import Client

from samen.accounts.models import Role
from tests.factories import ExpertFactory, LearningNetworkFactory, UserFactory


@pytest.fixture(autouse=True)
def _same_fake_data_every_run():
    """Faker's names come from one seed per test, so a run can be repeated exactly."""
    factory.random.reseed_random("samen")


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "samen.storage.StaticStorage"},
    }
    # Tests see the dashboard's figures as they are now; tests of the cache turn it back on.
    settings.SAMEN_DASHBOARD_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _every_email_in_its_recipients_language():
    """Every e-mail any test sends was composed by ``samen.mail.email_for``, in the language of
    the person it goes to: the one helper marks each message with its ``Content-Language``.
    A new sender that builds a message some other way fails the tests that send it."""
    yield
    from django.core import mail

    from samen.mail import LANGUAGE_HEADER

    unmarked = [
        (message.subject, message.to)
        for message in getattr(mail, "outbox", [])
        if LANGUAGE_HEADER not in message.extra_headers
    ]
    assert not unmarked, f"e-mails sent without samen.mail.email_for: {unmarked}"


@pytest.fixture(scope="session")
def _private_files(tmp_path_factory):
    return tmp_path_factory.mktemp("private")


@pytest.fixture(autouse=True)
def _private_files_in_a_temporary_folder(settings, _private_files):
    """Scans of consents go to a temporary folder, never to the working copy's private/."""
    settings.SAMEN_PRIVATE_MEDIA_ROOT = _private_files


@pytest.fixture(scope="session", autouse=True)
def _real_database_in_ci(django_db_setup, django_db_blocker):
    """With CI=true the suite must run on PostgreSQL, never silently on SQLite."""
    if os.environ.get("SAMEN_REQUIRE_SERVICES"):
        from django.db import connection

        assert connection.vendor == "postgresql", "CI must run the tests on PostgreSQL"


@pytest.fixture
def coordinator(db):
    return UserFactory(
        email="coordinator@samen.test", name="Carla Coördinator", role=Role.COORDINATOR
    )


@pytest.fixture
def admin(db):
    return UserFactory(
        email="beheer@samen.test",
        name="Bram Beheer",
        role=Role.ADMIN,
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def lead(db):
    return UserFactory(email="trekker@samen.test", name="Lotte Trekker", role=Role.LEAD)


@pytest.fixture
def other_lead(db):
    return UserFactory(email="andere-trekker@samen.test", name="Olaf Trekker", role=Role.LEAD)


@pytest.fixture
def network(lead):
    return LearningNetworkFactory(name="Integraal Werken", slug="integraal-werken", leads=[lead])


@pytest.fixture
def other_network(other_lead):
    return LearningNetworkFactory(name="Normaliseren", slug="normaliseren", leads=[other_lead])


@pytest.fixture
def expert_user(db):
    user = UserFactory(email="expex@samen.test", name="Esra Expert", role=Role.EXPERT)
    ExpertFactory(user=user, first_name="Esra", last_name="Expert", email=user.email)
    return user


@pytest.fixture
def other_expert_user(db):
    user = UserFactory(email="ander@samen.test", name="Otto Ander", role=Role.EXPERT)
    ExpertFactory(user=user, first_name="Otto", last_name="Ander", email=user.email)
    return user


@pytest.fixture
def expert(expert_user):
    return expert_user.expert


@pytest.fixture
def other_expert(other_expert_user):
    return other_expert_user.expert


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def coordinator_client(coordinator):
    return _client_for(coordinator)


@pytest.fixture
def admin_client_(admin):
    return _client_for(admin)


@pytest.fixture
def lead_client(lead):
    return _client_for(lead)


@pytest.fixture
def expert_client(expert_user):
    return _client_for(expert_user)


@pytest.fixture
def visitor(request, client, coordinator, admin, lead, expert_user):
    """Parametrise a test over the five visitors: indirect=["visitor"] with their names."""
    users = {
        "anonymous": None,
        "expert": expert_user,
        "lead": lead,
        "coordinator": coordinator,
        "admin": admin,
    }
    user = users[request.param]
    if user is not None:
        client.force_login(user)
    return request.param, client
