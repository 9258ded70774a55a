"""The match service's ranking, on constructed cases with a known right order."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from experts.models import Expertise, ExpertKind, ExpertPreferredRole, ExpertStatus
from participation.models import ExpertiseWanted, MatchStatus, Perspective
from participation.requests.matching import WEIGHTS, rank_experts_for_request
from tests.factories import (
    ActivityLogFactory,
    ConsentFactory,
    ExpertFactory,
    MatchFactory,
    RequestFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def make_expert(*, themes=(), roles=(), hours="10", consent=True, **kwargs):
    expert = ExpertFactory(availability_hours_per_month=Decimal(hours), **kwargs)
    expert.themes.set(themes)
    for role in roles:
        ExpertPreferredRole.objects.create(expert=expert, role=role)
    if consent:
        ConsentFactory(expert=expert, purpose="participation")
    return expert


@pytest.fixture
def themes():
    return ThemeFactory(name="Pleegzorg"), ThemeFactory(name="Scheiding")


@pytest.fixture
def request_(themes):
    request = RequestFactory(role="education", expected_hours=Decimal("2"))
    request.themes.set(themes)
    return request


def ranked(request, **kwargs):
    return [s.expert for s in rank_experts_for_request(request, today=TODAY, **kwargs)]


def test_themes_and_role_decide_the_order(request_, themes):
    both = make_expert(first_name="Beide", themes=themes, roles=["education"])
    one = make_expert(first_name="Een", themes=themes[:1], roles=["education"])
    none = make_expert(first_name="Geen")
    assert ranked(request_) == [both, one, none]


def test_fairness_prefers_who_was_asked_less(request_, themes):
    busy = make_expert(first_name="Druk", themes=themes, roles=["education"])
    rested = make_expert(first_name="Uitgerust", themes=themes, roles=["education"])
    for _ in range(3):
        MatchFactory(expert=busy, status=MatchStatus.PROPOSED)
    result = rank_experts_for_request(request_, today=TODAY)
    assert [s.expert for s in result] == [rested, busy]
    fairness = {s.expert: next(r for r in s.reasons if r.factor == "fairness") for s in result}
    assert fairness[rested].points == WEIGHTS["fairness"]
    assert fairness[busy].points < fairness[rested].points
    assert "3" in fairness[busy].explanation


def test_fairness_outweighs_one_missing_theme_only_when_the_gap_is_large(request_, themes):
    # A perfect fit asked 10 times loses to a near fit never asked.
    perfect = make_expert(first_name="Perfect", themes=themes, roles=["education"])
    for _ in range(10):
        MatchFactory(
            expert=perfect,
            status=MatchStatus.DONE,
            expert_confirmed_at=timezone.now(),
            requester_confirmed_at=timezone.now(),
        )
    near = make_expert(first_name="Bijna", themes=themes[:1], roles=["education"])
    assert ranked(request_) == [near, perfect]


def test_more_room_in_availability_ranks_higher(request_, themes):
    full = make_expert(first_name="Vol", themes=themes, roles=["education"], hours="10")
    ActivityLogFactory(expert=full, date=TODAY.replace(day=1), hours=Decimal("7"))
    free = make_expert(first_name="Vrij", themes=themes, roles=["education"], hours="10")
    assert ranked(request_) == [free, full]


def test_expert_over_their_load_is_not_suggested(request_):
    over = make_expert(first_name="Over", hours="4")
    ActivityLogFactory(expert=over, date=TODAY.replace(day=1), hours=Decimal("4"))
    ok = make_expert(first_name="Ok", hours="4")
    assert ranked(request_) == [ok]


def test_rejected_hours_do_not_count_towards_the_load(request_):
    expert = make_expert(hours="4")
    ActivityLogFactory(
        expert=expert, date=TODAY.replace(day=1), hours=Decimal("4"), status="rejected"
    )
    assert ranked(request_) == [expert]


def test_expert_without_consent_is_not_suggested(request_):
    make_expert(first_name="Zonder", consent=False)
    withdrawn = make_expert(first_name="Ingetrokken", consent=False)
    ConsentFactory(
        expert=withdrawn,
        purpose="participation",
        given_at=timezone.now() - datetime.timedelta(days=30),
        withdrawn_at=timezone.now(),
    )
    other_purpose = make_expert(first_name="Anders", consent=False)
    ConsentFactory(expert=other_purpose, purpose="photos")
    assert ranked(request_) == []


def test_under_16_needs_consent_from_a_parent(request_):
    fifteen = TODAY.replace(year=TODAY.year - 15)
    self_only = make_expert(first_name="Zelf", date_of_birth=fifteen)
    with_parent = make_expert(first_name="Ouder", date_of_birth=fifteen, consent=False)
    ConsentFactory(
        expert=with_parent, purpose="participation", given_by="parent", given_by_name="M. Ouder"
    )
    result = ranked(request_)
    assert with_parent in result
    assert self_only not in result


def test_inactive_paused_and_already_proposed_are_not_suggested(request_):
    make_expert(first_name="Gestopt", status=ExpertStatus.STOPPED)
    make_expert(first_name="Pauze", paused_until=TODAY + datetime.timedelta(days=10))
    proposed = make_expert(first_name="AlVoorgesteld")
    MatchFactory(request=request_, expert=proposed)
    back = make_expert(first_name="Terug", paused_until=TODAY - datetime.timedelta(days=1))
    assert ranked(request_) == [back]


def test_perspective_parent_only_suggests_parents(request_):
    request_.perspective = Perspective.PARENT
    request_.save()
    make_expert(first_name="Jongere", kind=ExpertKind.YOUTH)
    parent = make_expert(first_name="Ouder", kind=ExpertKind.PARENT)
    assert ranked(request_) == [parent]


def test_trained_expertise_wanted_excludes_knowledge_only(request_):
    request_.expertise_wanted = ExpertiseWanted.EXPERTISE
    request_.save()
    make_expert(first_name="Ervaring", expertise=Expertise.KNOWLEDGE)
    trained = make_expert(first_name="Getraind", expertise=Expertise.EXPERTISE)
    assert ranked(request_) == [trained]


def test_trained_expert_scores_higher_when_either_will_do(request_):
    knowledge = make_expert(first_name="Ervaring", expertise=Expertise.KNOWLEDGE)
    trained = make_expert(first_name="Getraind", expertise=Expertise.EXPERTISE)
    assert ranked(request_) == [trained, knowledge]


def test_every_suggestion_explains_all_six_factors(request_, themes):
    make_expert(themes=themes[:1], roles=["education"])
    (suggestion,) = rank_experts_for_request(request_, today=TODAY)
    assert [r.factor for r in suggestion.reasons] == list(WEIGHTS)
    assert all(r.explanation for r in suggestion.reasons)
    assert Decimal("0") <= suggestion.score <= Decimal("100")
    theme = suggestion.reasons[0]
    assert theme.points == Decimal("1.50")  # half of the themes, weight 3
    assert suggestion.reasons[0].as_dict()["max_points"] == WEIGHTS["themes"]


def test_limit_cuts_the_list(request_):
    for _ in range(5):
        make_expert()
    assert len(ranked(request_, limit=3)) == 3


def test_ranking_queries_do_not_grow_with_the_number_of_experts(request_, themes):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            rank_experts_for_request(request_, today=TODAY)
        return len(ctx.captured_queries)

    for _ in range(3):
        e = make_expert(themes=themes, roles=["education"])
        ActivityLogFactory(expert=e, hours=Decimal("1"))
    small = count_queries()
    for _ in range(25):
        e = make_expert(themes=themes, roles=["education"])
        ActivityLogFactory(expert=e, hours=Decimal("1"))
        MatchFactory(expert=e)
    # The request's themes, then one query for all candidates with their annotations.
    assert count_queries() == small == 2


def test_hours_in_the_explanation_are_plain_numbers(request_):
    # Decimal.normalize() would have written 10 hours as "1E+1".
    expert = make_expert(hours="10")
    (suggestion,) = rank_experts_for_request(request_, today=TODAY)
    availability = next(r for r in suggestion.reasons if r.factor == "availability")
    assert "E+" not in availability.explanation
    assert "10" in availability.explanation
    assert suggestion.expert == expert


def test_limit_none_gives_every_candidate(request_):
    experts = [make_expert() for _ in range(3)]
    assert set(ranked(request_, limit=None)) == set(experts)
    assert len(ranked(request_, limit=2)) == 2
