"""Invitations in the coordinator's door and behind their link: who may open each page, the
overview with its states, filters and query count, sending again and withdrawing through the
buttons, and the page a link shows when it does not lead on to choosing a password."""

import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from experts.invitations.services import (
    expert_invite,
    invitation_withdraw,
    invitations_accept,
)
from experts.models import Invitation, InvitationState
from tests.factories import ExpertFactory

VISITORS = ["anonymous", "expert", "lead", "coordinator", "admin"]
DAY = datetime.timedelta(days=1)


def _dutch(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def _invite(coordinator, **kwargs) -> Invitation:
    return expert_invite(expert=ExpertFactory(**kwargs), sent_by=coordinator)


def _expire(invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - 30 * DAY, expires_at=timezone.now() - DAY
    )


def _accept(invitation: Invitation) -> None:
    user = invitation.expert.user
    user.set_password("Zomer-fiets-2026!")
    user.save()
    invitations_accept(user=user)


def _link(invitation: Invitation) -> str:
    invitation.refresh_from_db()
    return reverse("invitation_open", kwargs={"token": invitation.link_token()})


@pytest.fixture
def invitation(coordinator):
    return _invite(coordinator, first_name="Yara", email="yara@samen.test")


# Who may open what --------------------------------------------------------------------------


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
def test_only_coordinators_and_admins_see_the_overview(visitor, invitation):
    name, client = visitor
    response = client.get(reverse("coordinator:invitation_list"))
    expected = {"anonymous": 302, "expert": 403, "lead": 403, "coordinator": 200, "admin": 200}
    assert response.status_code == expected[name]
    if name == "anonymous":
        assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
@pytest.mark.parametrize(
    "url_name", ["coordinator:invitation_resend", "coordinator:invitation_withdraw"]
)
def test_only_coordinators_and_admins_send_again_or_withdraw(visitor, url_name, invitation):
    name, client = visitor
    url = reverse(url_name, args=[invitation.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"times_sent": 1})
    expected = {"anonymous": 302, "expert": 403, "lead": 403, "coordinator": 302, "admin": 302}
    assert response.status_code == expected[name]
    invitation.refresh_from_db()
    changed = invitation.send_count == 2 or invitation.withdrawn_at is not None
    assert changed == (name in {"coordinator", "admin"})
    if name == "anonymous":
        assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
def test_anyone_with_a_working_link_goes_on_to_choose_a_password(visitor, invitation):
    """The link is for whoever holds it; allauth logs out another account on its page."""
    _name, client = visitor
    response = client.get(_link(invitation))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/password/reset/key/")
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
def test_anyone_with_an_unknown_link_gets_the_friendly_404(visitor, invitation):
    _name, client = visitor
    token = invitation.link_token()
    for bad in [token[:-2], "12.1:abc", "x" * 300, token.replace(".1:", ".9:")]:
        response = client.get(reverse("invitation_open", kwargs={"token": bad}))
        assert response.status_code == 404, bad
        assert _dutch("This link does not work") in response.content.decode()


def test_a_post_or_a_missing_invitation_never_gives_a_server_error(coordinator_client, client):
    missing = reverse("coordinator:invitation_resend", args=[999999])
    assert coordinator_client.post(missing, {"times_sent": 1}).status_code == 404
    missing = reverse("coordinator:invitation_withdraw", args=[999999])
    assert coordinator_client.post(missing).status_code == 404
    assert client.post(reverse("invitation_open", kwargs={"token": "x"})).status_code == 405


# The overview -------------------------------------------------------------------------------


@pytest.fixture
def one_in_each_state(coordinator):
    sent = _invite(coordinator, first_name="Sanne", last_name="Open")
    expired = _invite(coordinator, first_name="Eva", last_name="Laat")
    _expire(expired)
    withdrawn = _invite(coordinator, first_name="Wim", last_name="Terug")
    invitation_withdraw(invitation=withdrawn, withdrawn_by=coordinator)
    accepted = _invite(coordinator, first_name="Anouk", last_name="Binnen")
    _accept(accepted)
    return {
        InvitationState.SENT: sent,
        InvitationState.EXPIRED: expired,
        InvitationState.WITHDRAWN: withdrawn,
        InvitationState.ACCEPTED: accepted,
    }


def test_the_overview_shows_each_invitation_with_its_state_and_buttons(
    coordinator_client, one_in_each_state
):
    response = coordinator_client.get(reverse("coordinator:invitation_list"))
    page = response.content.decode()
    rows = {row.expert.first_name: row for row in response.context["page"].object_list}
    assert {name: row.state() for name, row in rows.items()} == {
        "Sanne": InvitationState.SENT,
        "Eva": InvitationState.EXPIRED,
        "Wim": InvitationState.WITHDRAWN,
        "Anouk": InvitationState.ACCEPTED,
    }
    for state, invitation in one_in_each_state.items():
        assert reverse("coordinator:expert_detail", args=[invitation.expert_id]) in page
        resend = reverse("coordinator:invitation_resend", args=[invitation.pk])
        withdraw = reverse("coordinator:invitation_withdraw", args=[invitation.pk])
        # Only an open or expired invitation can be sent again or withdrawn.
        buttons = state in {InvitationState.SENT, InvitationState.EXPIRED}
        assert (resend in page, withdraw in page) == (buttons, buttons), state
    for label in ["Open", "Expired", "Withdrawn", "Accepted"]:
        assert _dutch(label) in page
    tabs = {value: count for value, _label, count in response.context["state_tabs"]}
    assert tabs == dict.fromkeys(InvitationState, 1)


@pytest.mark.parametrize("state", list(InvitationState))
def test_the_overview_filters_by_state(coordinator_client, one_in_each_state, state):
    response = coordinator_client.get(reverse("coordinator:invitation_list"), {"state": state})
    assert list(response.context["page"].object_list) == [one_in_each_state[state]]


def test_the_overview_finds_a_name(coordinator_client, one_in_each_state):
    response = coordinator_client.get(reverse("coordinator:invitation_list"), {"q": "laat"})
    assert list(response.context["page"].object_list) == [
        one_in_each_state[InvitationState.EXPIRED]
    ]
    # The tabs count what the search found.
    tabs = {value: count for value, _label, count in response.context["state_tabs"]}
    assert tabs == dict.fromkeys(InvitationState, 0) | {InvitationState.EXPIRED: 1}
    assert response.context["total"] == 1


def test_an_unknown_state_is_a_form_error_not_a_server_error(coordinator_client, one_in_each_state):
    response = coordinator_client.get(reverse("coordinator:invitation_list"), {"state": "nope"})
    assert response.status_code == 200
    assert response.context["filter"].form.errors["state"]
    assert len(response.context["page"].object_list) == 4


def test_the_overview_and_the_experts_pages_link_to_each_other(coordinator_client, invitation):
    overview = reverse("coordinator:invitation_list")
    for url in [
        reverse("coordinator:expert_list"),
        reverse("coordinator:expert_detail", args=[invitation.expert_id]),
    ]:
        assert f'href="{overview}"' in coordinator_client.get(url).content.decode()


def _populate(coordinator, count: int) -> None:
    for index in range(count):
        invitation = _invite(coordinator)
        if index % 4 == 1:
            _expire(invitation)
        elif index % 4 == 2:
            invitation_withdraw(invitation=invitation, withdrawn_by=coordinator)
        elif index % 4 == 3:
            _accept(invitation)


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_overviews_queries_do_not_grow_with_the_rows(
    coordinator, coordinator_client, django_assert_max_num_queries
):
    url = reverse("coordinator:invitation_list")
    _populate(coordinator, 3)
    small = _count(coordinator_client, url)
    _populate(coordinator, 30)  # more than a page of 25
    assert _count(coordinator_client, url) == small
    # Framework (2): session, user. The page (3): the count per state, the paginator's count,
    # the page of invitations with their state, expert, account and sender.
    with django_assert_max_num_queries(5):
        coordinator_client.get(url)


# Sending again and withdrawing through the buttons --------------------------------------------


def test_send_again_mails_a_new_link_and_says_so(
    coordinator_client, invitation, client, django_capture_on_commit_callbacks
):
    old_link = _link(invitation)
    overview = reverse("coordinator:invitation_list") + "?state=sent"
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            reverse("coordinator:invitation_resend", args=[invitation.pk]),
            {"times_sent": 1, "next": overview},
            follow=True,
        )
    assert response.redirect_chain[-1][0] == overview
    messages = [str(message) for message in response.context["messages"]]
    with translation.override("nl"):
        expected = gettext(
            "The invitation was sent again to %(email)s, with a new link. "
            "The link in the earlier e-mail no longer works."
        ) % {"email": "yara@samen.test"}
    assert messages == [expected]
    new_link = _link(invitation)
    assert len(mail.outbox) == 1
    assert new_link in mail.outbox[0].body
    assert client.get(new_link).status_code == 302
    assert client.get(old_link).status_code == 410


def test_a_double_submit_of_send_again_sends_one_mail(
    coordinator_client, invitation, django_capture_on_commit_callbacks
):
    url = reverse("coordinator:invitation_resend", args=[invitation.pk])
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url, {"times_sent": 1})
        response = coordinator_client.post(url, {"times_sent": 1}, follow=True)
    assert len(mail.outbox) == 1
    messages = [str(message) for message in response.context["messages"]]
    assert _dutch("This invitation had already been sent again.") in messages


def test_a_double_submit_of_invite_on_the_experts_page_sends_one_mail(
    coordinator_client, django_capture_on_commit_callbacks
):
    expert = ExpertFactory(email="dubbel@samen.test")
    page = coordinator_client.get(reverse("coordinator:expert_detail", args=[expert.pk]))
    assert 'name="times_sent" value="0"' in page.content.decode()
    url = reverse("coordinator:expert_invite", args=[expert.pk])
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url, {"times_sent": 0})
        coordinator_client.post(url, {"times_sent": 0})
    assert len(mail.outbox) == 1
    assert Invitation.objects.get().send_count == 1


@pytest.mark.parametrize("value", ["", "twee", "-1", "99999"])
def test_send_again_with_a_bad_count_is_a_bad_request(coordinator_client, invitation, value):
    url = reverse("coordinator:invitation_resend", args=[invitation.pk])
    assert coordinator_client.post(url, {"times_sent": value}).status_code == 400
    url = reverse("coordinator:expert_invite", args=[invitation.expert_id])
    assert coordinator_client.post(url, {"times_sent": value}).status_code == 400
    invitation.refresh_from_db()
    assert invitation.send_count == 1


def test_send_again_never_leads_to_another_site(coordinator_client, invitation):
    url = reverse("coordinator:invitation_resend", args=[invitation.pk])
    response = coordinator_client.post(url, {"times_sent": 1, "next": "https://evil.test/"})
    assert response["Location"] == reverse("coordinator:invitation_list")


def test_withdraw_says_so_and_the_link_then_no_longer_works(coordinator_client, invitation, client):
    link = _link(invitation)
    response = coordinator_client.post(
        reverse("coordinator:invitation_withdraw", args=[invitation.pk]), follow=True
    )
    messages = [str(message) for message in response.context["messages"]]
    with translation.override("nl"):
        expected = gettext(
            "The invitation to %(email)s has been withdrawn. Its link no longer works."
        ) % {"email": "yara@samen.test"}
    assert messages == [expected]
    response = client.get(link)
    assert response.status_code == 410
    assert _dutch("This invitation has been withdrawn") in response.content.decode()


def test_withdrawing_an_accepted_invitation_says_why_not(coordinator_client, invitation):
    _accept(invitation)
    response = coordinator_client.post(
        reverse("coordinator:invitation_withdraw", args=[invitation.pk]), follow=True
    )
    messages = [str(message) for message in response.context["messages"]]
    assert messages == [
        _dutch(
            "This invitation has been accepted: the account is in use. "
            "An administrator can switch an account off."
        )
    ]
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is None


# The page behind a link that does not lead on -------------------------------------------------


def _page(client, invitation) -> tuple[int, str]:
    response = client.get(_link(invitation))
    return response.status_code, response.content.decode()


def test_an_expired_link_says_what_to_do_and_whom_to_ask(client, invitation, coordinator):
    _expire(invitation)
    status, page = _page(client, invitation)
    assert status == 410
    assert _dutch("This invitation has expired") in page
    assert f'href="mailto:{coordinator.email}"' in page
    assert coordinator.name in page
    assert "Ongeldige sleutel" not in page


def test_an_older_link_after_sending_again_points_to_the_newest_mail(
    client, coordinator_client, invitation
):
    old = _link(invitation)
    coordinator_client.post(
        reverse("coordinator:invitation_resend", args=[invitation.pk]), {"times_sent": 1}
    )
    response = client.get(old)
    assert response.status_code == 410
    assert _dutch("There is a newer invitation") in response.content.decode()


def test_a_used_link_says_the_account_exists_and_links_to_the_login(client, invitation):
    _accept(invitation)
    status, page = _page(client, invitation)
    assert status == 200
    assert _dutch("You already have an account") in page
    assert f'href="{reverse("account_login")}"' in page


def test_a_link_whose_account_got_another_address_no_longer_works(client, invitation):
    user = invitation.expert.user
    user.email = "ander@samen.test"
    user.save(update_fields=["email"])
    status, page = _page(client, invitation)
    assert status == 410
    assert _dutch("This invitation has been withdrawn") in page


def test_a_working_link_leads_to_the_form_to_choose_a_password(client, invitation):
    response = client.get(_link(invitation), follow=True)
    assert response.status_code == 200
    assert response.context["form"] is not None
    assert _dutch("Choose your password") in response.content.decode()


def test_a_set_password_link_that_no_longer_works_is_explained_in_dutch(client, invitation):
    """allauth's own page for a bad key, reached e.g. from a mail sent before links were
    signed by Samen, no longer says "Ongeldige sleutel"."""
    user = invitation.expert.user
    url = reverse(
        "account_reset_password_from_key", kwargs={"uidb36": str(user.pk), "key": "oud-123"}
    )
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert _dutch("This link does not work") in page
    assert "Ongeldige sleutel" not in page
    assert re.search(r'href="/accounts/login/"', page)
