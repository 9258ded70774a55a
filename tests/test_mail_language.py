"""Every e-mail goes out in the language of the person it is for (``User.language``), whatever
language the page or task that sent it was in: one helper, ``samen.mail.email_for``, composes
them all. ``tests/conftest.py`` checks every e-mail sent by any test for its mark; this file
checks the languages, and that no code composes or sends an e-mail around the helper."""

import ast
import datetime
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from experts.invitations.services import expert_invite
from participation.requests.tasks import (
    match_notify_confirmed,
    match_notify_expert,
    match_remind_expert,
)
from samen.accounts.models import Language
from samen.celery import app as celery_app
from samen.mail import LANGUAGE_HEADER, email_for, recipient_language
from tests.factories import ExpertFactory, MatchFactory, RequestFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _eager():
    """Run tasks in this process even when REDIS_URL happens to be set."""
    was_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = was_eager


def _expert(language: str, email: str):
    user = UserFactory(email=email, language=language)
    return ExpertFactory(user=user, email=email, first_name="Sam", consent_to_take_part=True)


@pytest.mark.parametrize(
    ("language", "subject", "body"),
    [
        (Language.ENGLISH, "You are invited to Samen", "Choose your password with this link:"),
        (Language.DUTCH, "Je bent uitgenodigd voor Samen", "Kies je wachtwoord met deze link:"),
    ],
)
def test_the_invitation_is_in_the_invited_persons_language(
    coordinator, django_capture_on_commit_callbacks, language, subject, body
):
    expert = _expert(language, f"{language}@samen.test")
    # The coordinator works in the other language: it does not matter.
    other_language = "nl" if language == "en" else "en"
    with translation.override(other_language), django_capture_on_commit_callbacks(execute=True):
        expert_invite(expert=expert, sent_by=coordinator)

    (message,) = mail.outbox
    assert subject in message.subject
    assert body in message.body
    assert message.extra_headers[LANGUAGE_HEADER] == language


def _match(language: str, **kwargs):
    request = RequestFactory(title="Gastles", respond_by=datetime.date(2026, 3, 2))
    return MatchFactory(
        request=request, expert=_expert(language, f"{language}@samen.test"), hours="2.5", **kwargs
    )


@pytest.mark.parametrize(
    ("language", "subject", "words"),
    [
        (Language.ENGLISH, "Can you help with “Gastles”?", ["2.5", "March 2026"]),
        (Language.DUTCH, "Kun je helpen met “Gastles”?", ["2,5", "maart 2026"]),
    ],
)
def test_a_match_proposal_is_in_the_experts_language(language, subject, words):
    match = _match(language)
    with translation.override("nl" if language == "en" else "en"):
        assert match_notify_expert.apply(args=[match.pk]).get() is True

    (message,) = mail.outbox
    assert message.subject == subject
    for word in words:  # the numbers and dates of the language too
        assert word in message.body
    assert message.extra_headers[LANGUAGE_HEADER] == language


def test_the_reminder_is_in_the_experts_language():
    from django.utils import timezone

    from participation.models import Match

    match = _match(Language.ENGLISH)
    Match.objects.filter(pk=match.pk).update(
        proposed_at=timezone.now() - datetime.timedelta(days=8),
        expert_notified_at=timezone.now() - datetime.timedelta(days=8),
    )
    assert match_remind_expert.apply(args=[match.pk]).get() is True
    (message,) = mail.outbox
    assert message.subject.startswith("Reminder:")


def test_a_confirmation_is_in_each_recipients_language():
    from django.utils import timezone

    from participation.models import MatchStatus

    match = MatchFactory(
        status=MatchStatus.CONFIRMED,
        expert=_expert(Language.ENGLISH, "en@samen.test"),
        request=RequestFactory(title="Gastles", contact_email="contact@organisatie.test"),
        expert_confirmed_at=timezone.now(),
        requester_confirmed_at=timezone.now(),
    )

    assert match_notify_confirmed.apply(args=[match.pk]).get() == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address["en@samen.test"].extra_headers[LANGUAGE_HEADER] == "en"
    assert by_address["en@samen.test"].subject == "Confirmed: you help with “Gastles”"
    # The contact person has no account: Dutch.
    assert by_address["contact@organisatie.test"].extra_headers[LANGUAGE_HEADER] == "nl"
    assert by_address["contact@organisatie.test"].subject.startswith("Bevestigd: ")


@pytest.mark.parametrize(
    ("language", "words"),
    [(Language.ENGLISH, "Password Reset"), (Language.DUTCH, "Nieuw wachtwoord")],
)
def test_allauths_emails_are_in_the_account_holders_language(client, language, words):
    user = UserFactory(email="vergeten@samen.test", language=language)
    # Asked for on a page in the other language.
    other = "nl" if language == "en" else "en"
    response = client.post(
        reverse("account_reset_password"),
        {"email": user.email},
        HTTP_ACCEPT_LANGUAGE=other,
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert words in message.subject
    assert message.extra_headers[LANGUAGE_HEADER] == language


def test_an_address_without_an_account_gets_the_sites_language(client):
    response = client.post(
        reverse("account_reset_password"),
        {"email": "onbekend@samen.test"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.extra_headers[LANGUAGE_HEADER] == "nl"


def test_recipient_language():
    assert recipient_language(None) == "nl"
    assert recipient_language(UserFactory.build(language="en")) == "en"
    assert recipient_language(UserFactory.build(language="xx")) == "nl"


def test_email_for_composes_in_the_language_and_marks_the_message():
    from django.core.mail import EmailMessage
    from django.utils.translation import get_language

    seen = []

    def compose() -> EmailMessage:
        seen.append(get_language())
        return EmailMessage("s", "b", to=["a@samen.test"])

    with translation.override("nl"):
        message = email_for(UserFactory.build(language="en"), compose)
        assert get_language() == "nl"  # switched back afterwards
    assert seen == ["en"]
    assert message.extra_headers[LANGUAGE_HEADER] == "en"


# No code composes or sends an e-mail around the helper.

# Django's ways to send or build an e-mail. send_mail & co. build their message themselves, so
# they may not be used at all; a message class only inside a function given to email_for.
SENDERS = {"send_mail", "send_mass_mail", "mail_admins", "mail_managers"}
MESSAGES = {"EmailMessage", "EmailMultiAlternatives"}


def _project_files() -> list[Path]:
    skip = {".venv", "node_modules", "tests", "staticfiles", "static", ".git"}
    return [path for path in ROOT.rglob("*.py") if not skip & set(path.relative_to(ROOT).parts)]


def _called_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _calls(tree: ast.AST) -> list[tuple[ast.Call, ast.AST | None]]:
    """Every call in a module with the innermost function (or lambda) it is made in."""
    found = []

    def visit(node: ast.AST, function: ast.AST | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Call):
                found.append((child, function))
            inner = child if isinstance(child, ast.FunctionDef | ast.Lambda) else function
            visit(child, inner)

    visit(tree, None)
    return found


def _built_around_the_helper(paths: list[Path]) -> list[str]:
    """Where a module calls Django's send_mail and the like, or builds a message in a
    function that is not handed to ``email_for`` (by name, or as a lambda in the call)."""
    problems = []
    for path in paths:
        calls = _calls(ast.parse(path.read_text(), filename=str(path)))
        composers: set = set()
        for call, _function in calls:
            if _called_name(call) == "email_for":
                for argument in call.args[1:]:
                    composers.add(argument.id if isinstance(argument, ast.Name) else argument)
        for call, function in calls:
            name = _called_name(call)
            where = f"{path.name}:{call.lineno}"
            if name in SENDERS:
                problems.append(f"{where} calls {name}")
            elif name in MESSAGES:
                key = function.name if isinstance(function, ast.FunctionDef) else function
                if function is None or key not in composers:
                    problems.append(f"{where} builds {name} outside email_for")
    return problems


def test_every_email_is_composed_through_email_for():
    """Walks the code: nothing calls Django's send_mail and the like, and every message is
    built inside a function given to ``email_for``."""
    files = _project_files()
    assert any(path.name == "mail.py" for path in files)  # the walk sees the project
    assert _built_around_the_helper(files) == []


def test_the_walk_finds_a_message_built_around_the_helper(tmp_path):
    """The walk itself can fail: a message built directly, one built next to a composer, and
    send_mail are each found."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from django.core.mail import EmailMessage, send_mail\n"
        "from samen.mail import email_for\n"
        "\n"
        "def notice():\n"
        "    return EmailMessage('s', 'b', to=['x@samen.test'])\n"
        "\n"
        "def both(user):\n"
        "    def compose():\n"
        "        return EmailMessage('s', 'b', to=['x@samen.test'])\n"
        "    extra = EmailMessage('s', 'b', to=['y@samen.test'])\n"
        "    send_mail('s', 'b', None, ['z@samen.test'])\n"
        "    return email_for(user, compose), extra\n"
    )
    assert _built_around_the_helper([probe]) == [
        "probe.py:5 builds EmailMessage outside email_for",
        "probe.py:10 builds EmailMessage outside email_for",
        "probe.py:11 calls send_mail",
    ]
