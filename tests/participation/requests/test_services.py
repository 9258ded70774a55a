"""The match service's workflows: requests, proposals, two-sided confirmation, declining,
withdrawing, and the e-mails they send after commit."""

import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from experts.models import ExpertKind, ExpertStatus
from participation.models import Match, MatchSide, MatchStatus, Request, RequestStatus
from participation.requests.services import (
    match_confirm,
    match_decline,
    match_propose,
    match_withdraw,
    request_create,
    request_update,
)
from samen.celery import app as celery_app
from tests.constraints import violates
from tests.factories import (
    ActivityLogFactory,
    ConsentFactory,
    ExpertFactory,
    LearningNetworkFactory,
    MatchFactory,
    OrganisationFactory,
    RequestFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

NO_AGREEMENTS = (
    "A match only counts when what is expected and the time are clear. "
    "Fill in the expectations and the hours (more than 0) first."
)


@pytest.fixture(autouse=True)
def _eager():
    """Run queued mails in this process even when REDIS_URL happens to be set."""
    was_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = was_eager


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared by their English ids; the Dutch refusal is tested on purpose."""
    with translation.override("en"):
        yield


def make_expert(*, consent=True, **kwargs):
    kwargs.setdefault("availability_hours_per_month", Decimal("10"))
    expert = ExpertFactory(**kwargs)
    if consent:
        ConsentFactory(expert=expert, purpose="participation")
    return expert


def propose(request, experts, coordinator, *, expectations="Eén gastles geven.", hours="3"):
    return match_propose(
        request=request,
        experts=experts,
        proposed_by=coordinator,
        expectations=expectations,
        hours=Decimal(hours),
    )


def dutch(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


# Requests ------------------------------------------------------------------------------------


def test_request_create_saves_the_request_with_its_themes(coordinator):
    theme = ThemeFactory(name="Pleegzorg")
    request = request_create(
        created_by=coordinator,
        themes=[theme],
        title="Gastles",
        question="Wil je vertellen over pleegzorg?",
        organisation=OrganisationFactory(),
        role="education",
        expected_hours=Decimal("2"),
    )
    assert request.status == RequestStatus.OPEN
    assert request.created_by == coordinator
    assert list(request.themes.all()) == [theme]


def test_request_create_refuses_both_a_network_and_an_organisation(coordinator):
    with pytest.raises(ValidationError) as error:
        request_create(
            created_by=coordinator,
            title="Twee vragers",
            question="?",
            network=LearningNetworkFactory(),
            organisation=OrganisationFactory(),
            role="education",
        )
    assert "organisation" in error.value.message_dict
    assert not Request.objects.exists()


def test_database_refuses_a_request_from_both_a_network_and_an_organisation():
    rule = violates("request_has_requester")
    with pytest.raises(IntegrityError, match=rule), transaction.atomic():
        RequestFactory(network=LearningNetworkFactory(), organisation=OrganisationFactory())


def test_request_create_refuses_negative_hours_with_a_field_message(coordinator):
    with pytest.raises(ValidationError) as error:
        request_create(
            created_by=coordinator,
            title="Min uren",
            question="?",
            organisation=OrganisationFactory(),
            role="education",
            expected_hours=Decimal("-1"),
        )
    assert error.value.message_dict == {"expected_hours": ["The hours cannot be negative."]}


def test_request_update_can_close_but_not_force_matched(coordinator):
    request = RequestFactory()
    with pytest.raises(ValidationError):
        request_update(request=request, status=RequestStatus.MATCHED)
    request = request_update(request=request, status=RequestStatus.CANCELLED).request
    assert request.status == RequestStatus.CANCELLED
    # Reopened, the status follows the matches again.
    request = request_update(request=request, status=RequestStatus.OPEN).request
    assert request.status == RequestStatus.OPEN


def test_request_update_wanting_more_experts_makes_a_matched_request_matching(coordinator):
    request = RequestFactory(experts_wanted=1)
    expert = make_expert()
    (match,) = propose(request, [expert], coordinator)
    match_confirm(match=match, side=MatchSide.EXPERT, by=coordinator)
    match_confirm(match=match, side=MatchSide.REQUESTER, by=coordinator)
    request.refresh_from_db()
    assert request.status == RequestStatus.MATCHED

    request = request_update(request=request, experts_wanted=2).request

    assert request.status == RequestStatus.MATCHING


def _confirmed(request, coordinator, expert=None):
    (match,) = propose(request, [expert or make_expert()], coordinator)
    for side in MatchSide:
        match = match_confirm(match=match, side=side, by=coordinator)
    return match


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (RequestStatus.CANCELLED, "The request was cancelled."),
        (RequestStatus.DONE, "The request is done."),
    ],
)
def test_closing_a_request_withdraws_its_proposals_and_keeps_the_confirmed_match(
    coordinator, status, reason
):
    request = RequestFactory(experts_wanted=3)
    confirmed = _confirmed(request, coordinator)
    proposed = propose(request, [make_expert(), make_expert()], coordinator)
    declined = propose(request, [make_expert()], coordinator)[0]
    match_decline(match=declined, side=MatchSide.EXPERT, reason="Geen tijd", by=coordinator)

    update = request_update(
        request=Request.objects.get(pk=request.pk), status=status, by=coordinator
    )

    assert (update.proposals_withdrawn, update.confirmed_kept) == (2, 1)
    assert update.request.status == status
    for match in proposed:
        match.refresh_from_db()
        assert match.status == MatchStatus.WITHDRAWN
        assert match.declined_reason == reason
        assert match.closed_at is not None
        # The history says who withdrew it: the coordinator who closed the request.
        latest = match.history.latest()
        assert (latest.status, latest.history_user) == (MatchStatus.WITHDRAWN, coordinator)
    confirmed.refresh_from_db()
    declined.refresh_from_db()
    assert confirmed.status == MatchStatus.CONFIRMED
    assert declined.status == MatchStatus.DECLINED
    assert not Match.objects.filter(request=request, status=MatchStatus.PROPOSED).exists()


def test_closing_withdraws_the_proposals_in_the_same_transaction(coordinator, monkeypatch):
    request = RequestFactory()
    proposed = propose(request, [make_expert(), make_expert()], coordinator)
    saves = 0
    original = Match.save

    def fail_on_the_second(self, *args, **kwargs):
        nonlocal saves
        saves += 1
        if saves == 2:
            raise RuntimeError("database gone")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Match, "save", fail_on_the_second)
    with pytest.raises(RuntimeError):
        request_update(request=request, status=RequestStatus.CANCELLED, by=coordinator)

    request.refresh_from_db()
    assert request.status == RequestStatus.MATCHING
    assert {m.status for m in Match.objects.filter(pk__in=[m.pk for m in proposed])} == {
        MatchStatus.PROPOSED
    }


def test_a_closed_request_withdraws_nothing_when_saved_again_or_reopened(coordinator):
    request = RequestFactory()
    propose(request, [make_expert()], coordinator)
    assert request_update(request=request, status=RequestStatus.CANCELLED).proposals_withdrawn == 1

    again = request_update(request=request, status=RequestStatus.DONE, title="Nieuwe titel")
    reopened = request_update(request=request, status=RequestStatus.OPEN)

    assert (again.proposals_withdrawn, reopened.proposals_withdrawn) == (0, 0)
    # Reopened, nobody is proposed: the withdrawn match stays withdrawn.
    assert reopened.request.status == RequestStatus.OPEN
    assert Match.objects.get(request=request).status == MatchStatus.WITHDRAWN


def test_a_saved_request_that_stays_open_withdraws_nothing(coordinator):
    request = RequestFactory()
    (match,) = propose(request, [make_expert()], coordinator)

    update = request_update(request=request, title="Andere titel", by=coordinator)

    assert (update.proposals_withdrawn, update.confirmed_kept) == (0, 0)
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED


# Proposing -----------------------------------------------------------------------------------


def test_propose_creates_matches_with_score_reasons_and_sets_the_request_matching(coordinator):
    request = RequestFactory(role="education", expected_hours=Decimal("2"))
    first, second = make_expert(first_name="Anna"), make_expert(first_name="Bram")

    matches = propose(request, [first, second], coordinator, hours="2.5")

    assert [m.expert for m in matches] == [first, second]
    for match in Match.objects.filter(request=request):
        assert match.status == MatchStatus.PROPOSED
        assert match.proposed_by == coordinator
        assert match.expectations == "Eén gastles geven."
        assert match.hours == Decimal("2.5")
        assert match.payment_scheme == request.payment_scheme
        assert Decimal("0") < match.score <= Decimal("100")
        factors = [reason["factor"] for reason in match.score_reasons]
        assert factors == ["themes", "perspective", "expertise", "availability", "role", "fairness"]
        assert all(reason["explanation"] for reason in match.score_reasons)
        assert match.history.first().history_user == coordinator
    request.refresh_from_db()
    assert request.status == RequestStatus.MATCHING


def test_propose_refuses_an_expert_without_consent_and_proposes_nobody(coordinator):
    request = RequestFactory()
    fine = make_expert(first_name="Fien")
    without = make_expert(first_name="Zonder", last_name="Toestemming", consent=False)

    with pytest.raises(ValidationError) as error:
        propose(request, [fine, without], coordinator)

    assert error.value.messages == ["Zonder Toestemming has not given consent to take part."]
    assert not Match.objects.exists()
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN


def test_propose_refuses_an_expert_over_their_load(coordinator):
    request = RequestFactory(expected_hours=Decimal("2"))
    busy = make_expert(first_name="Druk", last_name="Bezet", availability_hours_per_month=4)
    ActivityLogFactory(expert=busy, hours=Decimal("4"))

    with pytest.raises(ValidationError) as error:
        propose(request, [busy], coordinator)

    assert error.value.messages == [
        "Druk Bezet has no room left in the hours they gave for this month."
    ]
    assert not Match.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"status": ExpertStatus.STOPPED}, "is not active."),
        ({"status": ExpertStatus.PAUSED}, "is taking a break."),
        ({"kind": ExpertKind.PARENT}, "does not have the perspective this request asks for."),
    ],
)
def test_propose_explains_other_refusals(coordinator, kwargs, message):
    request = RequestFactory(perspective="youth")
    expert = make_expert(first_name="Kim", last_name="Vos", **kwargs)
    with pytest.raises(ValidationError) as error:
        propose(request, [expert], coordinator)
    assert error.value.messages == [f"Kim Vos {message}"]


def test_propose_refuses_an_expert_proposed_before(coordinator):
    request = RequestFactory()
    expert = make_expert(first_name="Ed", last_name="Al")
    propose(request, [expert], coordinator)
    with pytest.raises(ValidationError) as error:
        propose(request, [expert], coordinator)
    assert error.value.messages == ["Ed Al was already proposed for this request."]
    assert Match.objects.count() == 1


def test_propose_refuses_nobody_chosen_and_closed_requests(coordinator):
    with pytest.raises(ValidationError, match="Choose at least one expert."):
        propose(RequestFactory(), [], coordinator)
    closed = RequestFactory(status=RequestStatus.CANCELLED)
    with pytest.raises(ValidationError, match="You can no longer propose"):
        propose(closed, [make_expert()], coordinator)
    assert not Match.objects.exists()


def test_propose_emails_each_expert_only_after_commit(
    coordinator, django_capture_on_commit_callbacks
):
    request = RequestFactory(title="Folder voor jongeren")
    experts = [make_expert(email="a@samen.test"), make_expert(email="b@samen.test")]

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        propose(request, experts, coordinator)
    assert mail.outbox == []  # nothing before the commit

    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == ["a@samen.test", "b@samen.test"]
    assert all("Folder voor jongeren" in m.subject for m in mail.outbox)


def test_a_refused_proposal_sends_no_email(coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        propose(RequestFactory(), [make_expert(consent=False)], coordinator)
    assert mail.outbox == []


# Confirming ----------------------------------------------------------------------------------


@pytest.fixture
def proposed(coordinator):
    request = RequestFactory(experts_wanted=2, contact_email="docent@hogeschool.test")
    return propose(request, [make_expert(), make_expert()], coordinator)


def test_confirm_by_one_side_keeps_the_match_proposed(proposed, coordinator):
    match = match_confirm(match=proposed[0], side=MatchSide.EXPERT, by=coordinator)
    assert match.status == MatchStatus.PROPOSED
    assert match.expert_confirmed_at is not None
    assert match.requester_confirmed_at is None
    assert match.missing_sides == [MatchSide.REQUESTER]


def test_confirm_by_both_sides_confirms_the_match(proposed, coordinator):
    match_confirm(match=proposed[0], side=MatchSide.REQUESTER, by=coordinator)
    match = match_confirm(match=proposed[0], side=MatchSide.EXPERT, by=coordinator)
    assert match.status == MatchStatus.CONFIRMED
    assert match.expert_confirmed_at and match.requester_confirmed_at
    assert match.history.first().history_user == coordinator
    # One of the two experts wanted: the request is still being matched.
    match.request.refresh_from_db()
    assert match.request.status == RequestStatus.MATCHING


def test_request_becomes_matched_when_enough_matches_are_confirmed(proposed, coordinator):
    for match in proposed:
        match_confirm(match=match, side=MatchSide.EXPERT, by=coordinator)
        match_confirm(match=match, side=MatchSide.REQUESTER, by=coordinator)
    request = Request.objects.get(pk=proposed[0].request_id)
    assert request.status == RequestStatus.MATCHED


def test_a_request_waits_for_a_match_until_every_expert_it_wants_is_confirmed(
    proposed, coordinator
):
    request = proposed[0].request

    def waiting() -> bool:
        return Request.objects.waiting_for_match().filter(pk=request.pk).exists()

    assert waiting()  # two proposed, none confirmed
    for side in MatchSide:
        match_confirm(match=proposed[0], side=side, by=coordinator)
    assert waiting()  # one of the two confirmed
    for side in MatchSide:
        match_confirm(match=proposed[1], side=side, by=coordinator)
    assert not waiting()
    request_update(request=Request.objects.get(pk=request.pk), experts_wanted=3)
    assert waiting()
    request_update(request=Request.objects.get(pk=request.pk), status=RequestStatus.CANCELLED)
    assert not waiting()


@pytest.mark.parametrize(("expectations", "hours"), [("", "2"), ("   ", "2"), ("Meelezen", "0")])
def test_confirm_without_expectations_or_hours_is_refused_in_dutch(
    coordinator, expectations, hours
):
    match = MatchFactory(expectations=expectations, hours=Decimal(hours))
    match_confirm(match=match, side=MatchSide.EXPERT, by=coordinator)

    with translation.override("nl"), pytest.raises(ValidationError) as error:
        match_confirm(match=match, side=MatchSide.REQUESTER, by=coordinator)

    assert error.value.messages == [dutch(NO_AGREEMENTS)]
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED
    assert match.requester_confirmed_at is None


def test_confirming_twice_is_harmless(proposed, coordinator, django_capture_on_commit_callbacks):
    match = proposed[0]
    with django_capture_on_commit_callbacks(execute=True):
        first = match_confirm(match=match, side=MatchSide.EXPERT, by=coordinator)
        again = match_confirm(match=match, side=MatchSide.EXPERT, by=coordinator)
        match_confirm(match=match, side=MatchSide.REQUESTER, by=coordinator)
        match_confirm(match=match, side=MatchSide.REQUESTER, by=coordinator)
        match_confirm(match=match, side=MatchSide.EXPERT, by=coordinator)
    assert again.expert_confirmed_at == first.expert_confirmed_at
    match.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED
    assert match.expert_confirmed_at == first.expert_confirmed_at
    # One confirmation mail to the expert and one to the contact, not more. (The proposal
    # mails were queued outside the captured block, so they never ran.)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [match.expert.email, "docent@hogeschool.test"]
    )


def test_confirmation_emails_the_expert_and_the_contact_after_commit(
    coordinator, django_capture_on_commit_callbacks
):
    request = RequestFactory(
        title="Gastles hogeschool",
        contact_name="Marieke",
        contact_email="docent@hogeschool.test",
    )
    expert = make_expert(first_name="Esra", email="esra@samen.test")
    (match,) = propose(request, [expert], coordinator, expectations="Vertel je verhaal.")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        match_confirm(match=match, side=MatchSide.EXPERT, by=coordinator)
        match_confirm(match=match, side=MatchSide.REQUESTER, by=coordinator)
    assert mail.outbox == []
    for callback in callbacks:
        callback()

    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"esra@samen.test", "docent@hogeschool.test"}
    to_expert, to_contact = by_address["esra@samen.test"], by_address["docent@hogeschool.test"]
    assert "Gastles hogeschool" in to_expert.subject
    assert "Vertel je verhaal." in to_expert.body
    assert "Esra" in to_contact.body and "Marieke" in to_contact.body
    # The contact person is not sent the expert's address.
    assert "esra@samen.test" not in to_contact.body
    match.refresh_from_db()
    assert match.confirmation_sent_at is not None


def test_confirmation_without_contact_address_emails_only_the_expert(
    coordinator, django_capture_on_commit_callbacks
):
    request = RequestFactory(contact_email="")
    (match,) = propose(request, [make_expert(email="solo@samen.test")], coordinator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        match_confirm(match=match, side=MatchSide.EXPERT, by=coordinator)
        match_confirm(match=match, side=MatchSide.REQUESTER, by=coordinator)
    assert [m.to for m in mail.outbox] == [["solo@samen.test"]]


def test_a_declined_match_cannot_be_confirmed(proposed, coordinator):
    match_decline(match=proposed[0], side=MatchSide.EXPERT, reason="Geen tijd", by=coordinator)
    with pytest.raises(ValidationError, match="can no longer be confirmed"):
        match_confirm(match=proposed[0], side=MatchSide.REQUESTER, by=coordinator)


def test_an_unknown_side_is_a_programming_error(proposed, coordinator):
    with pytest.raises(ValueError):
        match_confirm(match=proposed[0], side="coordinator", by=coordinator)


# Declining and withdrawing -------------------------------------------------------------------


def test_decline_records_side_and_reason_and_reopens_the_request(coordinator):
    request = RequestFactory()
    (match,) = propose(request, [make_expert()], coordinator)

    match = match_decline(
        match=match, side=MatchSide.REQUESTER, reason="  Past niet bij de groep.  ", by=coordinator
    )

    assert match.status == MatchStatus.DECLINED
    assert match.declined_side == MatchSide.REQUESTER
    assert match.declined_reason == "Past niet bij de groep."
    assert match.closed_at is not None
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN  # nobody else was proposed


def test_decline_keeps_the_request_matching_while_another_proposal_waits(proposed, coordinator):
    match_decline(match=proposed[0], side=MatchSide.EXPERT, reason="Ziek", by=coordinator)
    request = Request.objects.get(pk=proposed[0].request_id)
    assert request.status == RequestStatus.MATCHING


def test_declining_twice_is_harmless_and_a_confirmed_match_cannot_be_declined(
    proposed, coordinator
):
    first = match_decline(match=proposed[0], side=MatchSide.EXPERT, reason="Nee", by=coordinator)
    again = match_decline(match=proposed[0], side=MatchSide.REQUESTER, reason="?", by=coordinator)
    assert (again.declined_side, again.closed_at) == (MatchSide.EXPERT, first.closed_at)

    confirmed = proposed[1]
    match_confirm(match=confirmed, side=MatchSide.EXPERT, by=coordinator)
    match_confirm(match=confirmed, side=MatchSide.REQUESTER, by=coordinator)
    with pytest.raises(ValidationError, match="withdraw it"):
        match_decline(match=confirmed, side=MatchSide.EXPERT, reason="Toch niet", by=coordinator)


def test_withdrawing_a_confirmed_match_unmatches_the_request(coordinator):
    request = RequestFactory(experts_wanted=1)
    (match,) = propose(request, [make_expert()], coordinator)
    match_confirm(match=match, side=MatchSide.EXPERT, by=coordinator)
    match_confirm(match=match, side=MatchSide.REQUESTER, by=coordinator)

    match = match_withdraw(match=match, by=coordinator, reason="Gastles gaat niet door")

    assert match.status == MatchStatus.WITHDRAWN
    assert match_withdraw(match=match, by=coordinator).closed_at == match.closed_at
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN


# Two clicks at once --------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_last_confirmations_at_once_both_count(coordinator):
    """Two matches of one request, each getting its last yes at the same moment: with the
    request locked first, the second sees the first and the request becomes matched."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite has no row locks: one writer at a time.")
    request = RequestFactory(experts_wanted=2)
    matches = []
    for _ in range(2):
        match = MatchFactory(request=request, expectations="Meelezen", hours=Decimal("2"))
        match_confirm(match=match, side=MatchSide.EXPERT, by=coordinator)
        matches.append(match)
    barrier = threading.Barrier(2)
    errors = []

    def confirm(match):
        try:
            barrier.wait()
            match_confirm(match=match, side=MatchSide.REQUESTER, by=None)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=confirm, args=(m,)) for m in matches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert set(Match.objects.values_list("status", flat=True)) == {MatchStatus.CONFIRMED}
    request.refresh_from_db()
    assert request.status == RequestStatus.MATCHED


def test_confirmation_task_run_twice_sends_once(coordinator):
    from participation.requests.tasks import match_notify_confirmed

    request = RequestFactory(contact_email="docent@hogeschool.test")
    match = MatchFactory(
        request=request,
        expert=make_expert(email="een@samen.test"),
        status=MatchStatus.CONFIRMED,
        expert_confirmed_at=timezone.now(),
        requester_confirmed_at=timezone.now(),
    )

    assert match_notify_confirmed.apply(args=[match.pk]).get() == 2
    assert match_notify_confirmed.apply(args=[match.pk]).get() == 0

    assert sorted(m.to[0] for m in mail.outbox) == ["docent@hogeschool.test", "een@samen.test"]


def test_confirmation_task_sends_nothing_for_a_proposed_or_missing_match():
    from participation.requests.tasks import match_notify_confirmed

    match = MatchFactory()
    assert match_notify_confirmed.apply(args=[match.pk]).get() == 0
    assert match_notify_confirmed.apply(args=[match.pk + 1000]).get() == 0
    assert mail.outbox == []
