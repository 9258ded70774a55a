"""The match service's ranking (participation/requests/matching.py), on constructed cases with
a known right order and exact scores: the hard rules (break, consent, room in the month's
hours, perspective, training), the fairness window, the order and ties, and why an expert is
not suggested, in Dutch and English."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from experts.models import Expertise, ExpertKind, ExpertPreferredRole, ExpertStatus
from participation.models import ExpertiseWanted, Match, MatchStatus, Perspective
from participation.requests.matching import (
    WEIGHTS,
    fits_in_room,
    rank_experts_for_request,
    suggestions_for_request,
    why_not_suggested,
)
from tests.factories import (
    CONSENT_GIVEN_AT,
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
        # Given long ago: in force on TODAY even when the run passes midnight.
        ConsentFactory(expert=expert, purpose="participation", given_at=CONSENT_GIVEN_AT)
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


# --- The rules on a fixed day, with exact numbers ---------------------------------------------

DAY = datetime.date(2025, 6, 16)
ONE_DAY = datetime.timedelta(days=1)


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def candidate(*, hours="8", used=None, matches=0, consent_by="self", roles=(), themes=(), **kw):
    """An expert who may be asked on DAY unless ``kw`` says otherwise."""
    expert = ExpertFactory(availability_hours_per_month=Decimal(hours), **kw)
    expert.themes.set(themes)
    for role in roles:
        ExpertPreferredRole.objects.create(expert=expert, role=role)
    if consent_by:
        ConsentFactory(
            expert=expert,
            purpose="participation",
            given_by=consent_by,
            given_by_name="" if consent_by == "self" else "Petra de Vries",
            given_at=at(DAY - 30 * ONE_DAY),
        )
    if used is not None:
        ActivityLogFactory(expert=expert, date=DAY, hours=Decimal(used))
    for _ in range(matches):
        asked_on(expert, DAY - 10 * ONE_DAY)
    return expert


def asked_on(expert, day: datetime.date, status=MatchStatus.PROPOSED):
    confirmed = {}
    if status in (MatchStatus.CONFIRMED, MatchStatus.DONE):
        confirmed = {"expert_confirmed_at": at(day), "requester_confirmed_at": at(day)}
    match = MatchFactory(expert=expert, status=status, **confirmed)
    # proposed_at is set on insert; the fairness window reads it.
    Match.objects.filter(pk=match.pk).update(proposed_at=at(day))
    return match


def on_day(request, **kwargs):
    return rank_experts_for_request(request, today=DAY, limit=None, **kwargs)


def ranked_on_day(request):
    return [s.expert for s in on_day(request)]


@pytest.mark.parametrize(
    ("room", "expected", "available", "fits"),
    [
        pytest.param("0", "2", "8", False, id="no-room"),
        pytest.param("-1", "2", "8", False, id="over-the-hours"),
        pytest.param("0", "0", "8", False, id="no-room-for-a-request-without-hours"),
        pytest.param("2", "2", "8", True, id="exact-fit"),
        pytest.param("1.9", "2", "8", False, id="just-too-little"),
        pytest.param("0.5", "1", "8", False, id="half-an-hour-for-an-hour"),
        pytest.param("0.5", "0", "8", True, id="a-request-without-hours-fits-any-room"),
        pytest.param("8", "20", "8", True, id="bigger-than-all-they-give-with-all-left"),
        pytest.param("7.5", "20", "8", False, id="bigger-than-all-they-give-some-used"),
    ],
)
def test_a_request_fits_when_its_hours_or_all_the_experts_hours_are_left(
    room, expected, available, fits
):
    assert (
        fits_in_room(room=Decimal(room), expected=Decimal(expected), available=Decimal(available))
        is fits
    )


def test_only_experts_with_room_for_the_hours_of_the_request_are_suggested():
    request = RequestFactory(expected_hours=Decimal("2"))
    exact = candidate(hours="8", used="6")
    candidate(hours="8", used="6.5")
    candidate(hours="8", used="8")
    candidate(hours="0")
    assert ranked_on_day(request) == [exact]


def test_a_request_bigger_than_all_an_expert_gives_goes_to_who_has_all_their_hours_left():
    request = RequestFactory(expected_hours=Decimal("20"))
    untouched = candidate(hours="8")
    candidate(hours="8", used="0.5")
    (suggestion,) = on_day(request)
    assert (suggestion.expert, suggestion.room_hours) == (untouched, Decimal("8"))


@pytest.mark.parametrize(
    ("logged_on", "counts"),
    [
        pytest.param(datetime.date(2025, 5, 31), False, id="last-day-of-last-month"),
        pytest.param(datetime.date(2025, 6, 1), True, id="first-day-of-this-month"),
        pytest.param(datetime.date(2025, 6, 30), True, id="last-day-of-this-month"),
        pytest.param(datetime.date(2025, 7, 1), False, id="first-day-of-next-month"),
    ],
)
def test_only_hours_logged_in_this_month_use_up_the_room(logged_on, counts):
    request = RequestFactory(expected_hours=Decimal("2"))
    expert = candidate(hours="4")
    ActivityLogFactory(expert=expert, date=logged_on, hours=Decimal("3"))
    assert ranked_on_day(request) == ([] if counts else [expert])


@pytest.mark.parametrize(
    ("asked", "status", "counts"),
    [
        pytest.param(DAY - 365 * ONE_DAY, MatchStatus.PROPOSED, True, id="365-days-ago"),
        pytest.param(DAY - 366 * ONE_DAY, MatchStatus.PROPOSED, False, id="366-days-ago"),
        pytest.param(DAY, MatchStatus.CONFIRMED, True, id="confirmed-today"),
        pytest.param(DAY - 100 * ONE_DAY, MatchStatus.DONE, True, id="done"),
        pytest.param(DAY - ONE_DAY, MatchStatus.DECLINED, False, id="declined"),
        pytest.param(DAY - ONE_DAY, MatchStatus.WITHDRAWN, False, id="withdrawn"),
    ],
)
def test_fairness_counts_the_requests_of_the_last_365_days(asked, status, counts):
    request = RequestFactory(expected_hours=Decimal("2"))
    expert = candidate()
    rested = candidate()
    asked_on(expert, asked, status)
    fairness = {
        s.expert: next(r for r in s.reasons if r.factor == "fairness") for s in on_day(request)
    }
    assert fairness[expert].points == (Decimal("1.00") if counts else Decimal("2.00"))
    assert (
        fairness[expert].explanation == f"{int(counts)} keer gevraagd in de afgelopen 12 maanden."
    )
    assert fairness[rested].points == Decimal("2.00")


def test_fairness_compares_with_the_least_asked_expert_who_is_suggested():
    # An expert without room is never suggested, so their few requests set no standard.
    request = RequestFactory(expected_hours=Decimal("2"))
    candidate(hours="8", used="8")
    twice = candidate(matches=2)
    thrice = candidate(matches=3)
    fairness = {
        s.expert: next(r for r in s.reasons if r.factor == "fairness").points
        for s in on_day(request)
    }
    assert fairness == {twice: Decimal("2.00"), thrice: Decimal("1.00")}


@pytest.mark.parametrize(
    ("paused_until", "suggested"),
    [
        pytest.param(DAY + ONE_DAY, False, id="break-ends-tomorrow"),
        pytest.param(DAY, False, id="break-ends-today"),
        pytest.param(DAY - ONE_DAY, True, id="break-ended-yesterday"),
    ],
)
def test_an_expert_is_suggested_again_the_day_after_the_break(paused_until, suggested):
    request = RequestFactory(expected_hours=Decimal("2"))
    expert = candidate(paused_until=paused_until)
    assert ranked_on_day(request) == ([expert] if suggested else [])


def test_scores_and_reasons_of_a_known_case(themes):
    request = RequestFactory(role="education", expected_hours=Decimal("2"))
    request.themes.set(themes)
    one_theme = candidate(
        first_name="Een", hours="10", used="4", matches=1, themes=themes[:1], roles=["education"]
    )
    # A theme and a role the request does not ask for count for nothing.
    trained = candidate(
        first_name="Getraind",
        hours="8",
        expertise=Expertise.EXPERTISE,
        themes=[ThemeFactory(name="Armoede")],
        roles=["advocacy"],
    )
    with translation.override("en"):
        first, second = on_day(request)
    assert (first.expert, first.score, first.room_hours) == (one_theme, Decimal("65.5"), 6)
    assert [r.as_dict() for r in first.reasons] == [
        {
            "factor": "themes",
            "label": "Themes",
            "points": "1.50",
            "max_points": 3,
            "explanation": "1 of the 2 themes match.",
        },
        {
            "factor": "perspective",
            "label": "Perspective",
            "points": "1",
            "max_points": 1,
            "explanation": "Any perspective is welcome.",
        },
        {
            "factor": "expertise",
            "label": "Experience",
            "points": "0.50",
            "max_points": 1,
            "explanation": "Experiential knowledge, not trained.",
        },
        {
            "factor": "availability",
            "label": "Room in availability",
            "points": "1.20",
            "max_points": 2,
            "explanation": "6 of 10 hours left this month.",
        },
        {
            "factor": "role",
            "label": "Role",
            "points": "2",
            "max_points": 2,
            "explanation": "Likes the role Education.",
        },
        {
            "factor": "fairness",
            "label": "Fair spread",
            "points": "1.00",
            "max_points": 2,
            "explanation": "Asked 1 times in the last 12 months.",
        },
    ]
    # 0 + 1 + 1 + 2 + 0 + 2 = 6 of 11 points.
    assert (second.expert, second.score, second.room_hours) == (trained, Decimal("54.5"), 8)
    assert [(r.factor, r.label, r.points, r.max_points) for r in second.reasons] == [
        ("themes", "Themes", Decimal("0.00"), 3),
        ("perspective", "Perspective", Decimal("1"), 1),
        ("expertise", "Experience", Decimal("1.00"), 1),
        ("availability", "Room in availability", Decimal("2.00"), 2),
        ("role", "Role", Decimal("0"), 2),
        ("fairness", "Fair spread", Decimal("2.00"), 2),
    ]
    assert [r.explanation for r in second.reasons] == [
        "0 of the 2 themes match.",
        "Any perspective is welcome.",
        "Trained expert.",
        "8 of 8 hours left this month.",
        "Did not name the role Education as a preference.",
        "Asked 0 times in the last 12 months.",
    ]


def test_a_perfect_fit_scores_100_and_reasons_read_in_dutch():
    request = RequestFactory(
        role="education",
        expected_hours=Decimal("2.5"),
        perspective=Perspective.YOUTH,
        expertise_wanted=ExpertiseWanted.EXPERTISE,
    )
    expert = candidate(hours="2.5", roles=["education"], expertise=Expertise.EXPERTISE)
    (suggestion,) = on_day(request)
    assert (suggestion.expert, suggestion.score) == (expert, Decimal("100.0"))
    assert [
        (r.factor, r.label, r.points, r.max_points, r.explanation) for r in suggestion.reasons
    ] == [
        ("themes", "Thema's", Decimal("3"), 3, "De vraag noemt geen thema's."),
        (
            "perspective",
            "Perspectief",
            Decimal("1"),
            1,
            "Doet mee als ExpEx, zoals gevraagd.",
        ),
        ("expertise", "Ervaring", Decimal("1"), 1, "Getraind, zoals gevraagd."),
        (
            "availability",
            "Ruimte in beschikbaarheid",
            Decimal("2.00"),
            2,
            "Nog 2,5 van 2,5 uur over deze maand.",
        ),
        ("role", "Rol", Decimal("2"), 2, "Doet de rol Onderwijs graag."),
        (
            "fairness",
            "Eerlijke verdeling",
            Decimal("2.00"),
            2,
            "0 keer gevraagd in de afgelopen 12 maanden.",
        ),
    ]


def test_each_request_above_the_least_asked_divides_the_fairness_points():
    request = RequestFactory(expected_hours=Decimal("2"))
    experts = [candidate(matches=n) for n in (1, 2, 4)]
    points = {
        s.expert: next(r for r in s.reasons if r.factor == "fairness").points
        for s in on_day(request)
    }
    # 2 points × 1 / (1 + requests above the least asked).
    assert [points[e] for e in experts] == [Decimal("2.00"), Decimal("1.00"), Decimal("0.50")]


def test_points_are_rounded_half_up_to_whole_cents():
    request = RequestFactory(expected_hours=Decimal("0.5"))
    candidate(hours="8", used="7.5")
    (suggestion,) = on_day(request)
    availability = next(r for r in suggestion.reasons if r.factor == "availability")
    # 2 points × 0.5 of 8 hours = 0.125.
    assert availability.points == Decimal("0.13")


def test_youth_perspective_only_suggests_youth():
    request = RequestFactory(expected_hours=Decimal("2"), perspective=Perspective.YOUTH)
    youth = candidate(kind=ExpertKind.YOUTH)
    candidate(kind=ExpertKind.PARENT)
    assert ranked_on_day(request) == [youth]


def test_either_perspective_and_experiential_knowledge_suggest_everyone():
    request = RequestFactory(
        expected_hours=Decimal("2"), expertise_wanted=ExpertiseWanted.KNOWLEDGE
    )
    experts = {
        candidate(kind=ExpertKind.YOUTH),
        candidate(kind=ExpertKind.PARENT, expertise=Expertise.EXPERTISE),
    }
    assert set(ranked_on_day(request)) == experts


def test_equal_scores_go_to_the_least_asked_first_then_to_the_earliest_registered(themes):
    extra_theme = ThemeFactory(name="Armoede")
    request = RequestFactory(expected_hours=Decimal("2"))
    request.themes.set([*themes, extra_theme])
    # One theme more (1 point) makes up for one request more (1 point less for fairness).
    asked_once = candidate(first_name="Eenmaal", matches=1, themes=[extra_theme])
    never_asked = candidate(first_name="Nooit")
    twin = candidate(first_name="Tweeling")
    suggestions = on_day(request)
    assert [s.expert for s in suggestions] == [never_asked, twin, asked_once]
    assert len({s.score for s in suggestions}) == 1


def test_the_best_come_first_and_limit_keeps_the_best(themes):
    request = RequestFactory(role="education", expected_hours=Decimal("2"))
    request.themes.set(themes)
    third = candidate(first_name="Derde")
    first = candidate(first_name="Eerste", themes=themes, roles=["education"])
    second = candidate(first_name="Tweede", themes=themes)
    assert ranked_on_day(request) == [first, second, third]
    limited = rank_experts_for_request(request, today=DAY, limit=2)
    assert [s.expert for s in limited] == [first, second]


def test_the_ranking_gives_the_best_20_unless_told_otherwise():
    request = RequestFactory(expected_hours=Decimal("2"))
    for _ in range(21):
        candidate()
    assert len(rank_experts_for_request(request, today=DAY)) == 20


def test_the_ranking_without_a_day_ranks_on_today():
    request = RequestFactory(expected_hours=Decimal("2"))
    expert = ExpertFactory(paused_until=timezone.localdate())
    ConsentFactory(expert=expert, purpose="participation")
    assert rank_experts_for_request(request) == []
    expert.paused_until = timezone.localdate() - ONE_DAY
    expert.save()
    assert [s.expert for s in rank_experts_for_request(request)] == [expert]


# --- Why an expert is not suggested, in Dutch and English --------------------------------------


def refusal(request, expert, language: str) -> str:
    with translation.override(language):
        return why_not_suggested(request, expert, today=DAY)


def ranked_ids(request) -> set[int]:
    return {s.expert.pk for s in on_day(request)}


REFUSALS = [
    pytest.param(
        {"paused_until": DAY},
        {},
        "Mila Smit neemt een pauze.",
        "Mila Smit is taking a break.",
        id="break-ends-today",
    ),
    pytest.param(
        {"status": ExpertStatus.PAUSED},
        {},
        "Mila Smit neemt een pauze.",
        "Mila Smit is taking a break.",
        id="status-taking-a-break",
    ),
    pytest.param(
        {"status": ExpertStatus.STOPPED, "paused_until": DAY - ONE_DAY},
        {},
        "Mila Smit is niet actief.",
        "Mila Smit is not active.",
        id="stopped",
    ),
    pytest.param(
        {"status": ExpertStatus.CANDIDATE},
        {},
        "Mila Smit is niet actief.",
        "Mila Smit is not active.",
        id="candidate",
    ),
    pytest.param(
        {"date_of_birth": datetime.date(2010, 1, 1)},
        {},
        "Mila Smit is jonger dan 16 en heeft geen toestemming van een ouder of voogd.",
        "Mila Smit is under 16 and has no consent from a parent or guardian.",
        id="under-16-with-own-consent",
    ),
    pytest.param(
        {"consent_by": None},
        {},
        "Mila Smit heeft geen toestemming gegeven om mee te doen.",
        "Mila Smit has not given consent to take part.",
        id="no-consent",
    ),
    pytest.param(
        {"kind": ExpertKind.PARENT},
        {"perspective": Perspective.YOUTH},
        "Mila Smit heeft niet het perspectief waar deze vraag om vraagt.",
        "Mila Smit does not have the perspective this request asks for.",
        id="parent-for-youth",
    ),
    pytest.param(
        {"kind": ExpertKind.YOUTH},
        {"perspective": Perspective.PARENT},
        "Mila Smit heeft niet het perspectief waar deze vraag om vraagt.",
        "Mila Smit does not have the perspective this request asks for.",
        id="youth-for-parents",
    ),
    pytest.param(
        {"expertise": Expertise.KNOWLEDGE},
        {"expertise_wanted": ExpertiseWanted.EXPERTISE},
        "Mila Smit is niet getraind, en deze vraag vraagt om een getrainde ervaringsdeskundige.",
        "Mila Smit is not trained, and this request asks for trained expertise.",
        id="not-trained",
    ),
    pytest.param(
        {"hours": "4", "used": "4"},
        {},
        "Mila Smit heeft geen ruimte meer in de opgegeven uren voor deze maand.",
        "Mila Smit has no room left in the hours they gave for this month.",
        id="no-room",
    ),
    pytest.param(
        {"hours": "0"},
        {},
        "Mila Smit heeft geen ruimte meer in de opgegeven uren voor deze maand.",
        "Mila Smit has no room left in the hours they gave for this month.",
        id="no-hours-given",
    ),
    pytest.param(
        {"hours": "4", "used": "3.5"},
        {},
        "Mila Smit heeft deze maand nog 0,5 uur over; de vraag kost 2 uur.",
        "Mila Smit has 0.5 hours left this month; the request needs 2.",
        id="too-little-room",
    ),
]


@pytest.mark.parametrize(("expert_kw", "request_kw", "dutch", "english"), REFUSALS)
def test_why_not_suggested_names_the_rule_that_keeps_the_expert_out(
    expert_kw, request_kw, dutch, english
):
    request = RequestFactory(expected_hours=Decimal("2"), **request_kw)
    expert = candidate(first_name="Mila", last_name="Smit", **expert_kw)
    assert refusal(request, expert, "nl") == dutch
    assert refusal(request, expert, "en") == english
    assert expert.pk not in ranked_ids(request)


def test_why_not_suggested_for_an_expert_already_proposed():
    request = RequestFactory(expected_hours=Decimal("2"))
    expert = candidate(first_name="Mila", last_name="Smit")
    MatchFactory(request=request, expert=expert)
    assert refusal(request, expert, "nl") == "Mila Smit is al voorgesteld voor deze vraag."
    assert refusal(request, expert, "en") == "Mila Smit was already proposed for this request."
    assert expert.pk not in ranked_ids(request)


@pytest.mark.parametrize(
    ("expert_kw", "request_kw"),
    [
        pytest.param({}, {}, id="fits"),
        pytest.param(
            {"consent_by": "guardian", "date_of_birth": datetime.date(2010, 1, 1)},
            {},
            id="child-with-a-guardians-consent",
        ),
        pytest.param(
            {"kind": ExpertKind.PARENT},
            {"perspective": Perspective.PARENT},
            id="parent-for-parents",
        ),
        pytest.param(
            {"kind": ExpertKind.YOUTH}, {"perspective": Perspective.YOUTH}, id="youth-for-youth"
        ),
        pytest.param({"kind": ExpertKind.PARENT}, {}, id="parent-for-either"),
        pytest.param(
            {"expertise": Expertise.EXPERTISE},
            {"expertise_wanted": ExpertiseWanted.EXPERTISE},
            id="trained-for-trained",
        ),
        pytest.param({"hours": "4", "used": "2"}, {}, id="exact-fit"),
        pytest.param({"hours": "4"}, {"expected_hours": Decimal("0")}, id="request-without-hours"),
    ],
)
def test_why_not_suggested_for_an_expert_who_is_suggested_names_no_rule(expert_kw, request_kw):
    request = RequestFactory(**{"expected_hours": Decimal("2"), **request_kw})
    expert = candidate(first_name="Mila", last_name="Smit", **expert_kw)
    # Proposed for another request, and someone else proposed for this one: neither counts.
    asked_on(expert, DAY - ONE_DAY)
    MatchFactory(request=request, expert=ExpertFactory())
    assert refusal(request, expert, "nl") == (
        "Mila Smit kan niet worden voorgesteld voor deze vraag."
    )
    assert refusal(request, expert, "en") == "Mila Smit cannot be proposed for this request."
    assert expert.pk in ranked_ids(request)


def test_why_not_suggested_without_a_day_asks_about_today():
    request = RequestFactory(expected_hours=Decimal("2"))
    expert = ExpertFactory(first_name="Mila", last_name="Smit", paused_until=timezone.localdate())
    with translation.override("en"):
        assert why_not_suggested(request, expert) == "Mila Smit is taking a break."


# --- Who is left out, and why ------------------------------------------------------------------


def test_who_is_left_out_is_counted_once_by_the_first_rule_that_keeps_them_out():
    request = RequestFactory(perspective=Perspective.YOUTH, expected_hours=Decimal("3"))
    best, second, third = (candidate(matches=n) for n in range(3))
    on_break = [
        candidate(paused_until=DAY),
        candidate(status=ExpertStatus.PAUSED, consent_by=None),  # also without consent
    ]
    not_active = candidate(status=ExpertStatus.CANDIDATE)
    no_consent = [
        candidate(consent_by=None, first_name="Zonder"),
        # Under 16 with only her own consent: a parent's is missing.
        candidate(date_of_birth=DAY.replace(year=DAY.year - 14), first_name="Jong"),
    ]
    no_room = [candidate(hours="0"), candidate(used="6"), candidate(used="8")]
    # Not counted: stopped, another perspective, already proposed for this request.
    candidate(status=ExpertStatus.STOPPED, consent_by=None)
    candidate(kind=ExpertKind.PARENT, consent_by=None)
    MatchFactory(request=request, expert=candidate(consent_by=None))

    ranking = suggestions_for_request(request, today=DAY, limit=2)

    assert [s.expert for s in ranking.shown] == [best, second]
    left_out = ranking.left_out
    assert (
        left_out.on_break,
        left_out.not_active,
        left_out.no_consent,
        left_out.no_room,
        left_out.below_the_best,
    ) == (len(on_break), 1, len(no_consent), len(no_room), 1)
    assert left_out.total == 2 + 1 + 2 + 3 + 1
    # Everyone with the perspective asked who takes part and was not proposed yet: shown or
    # counted, never both, never neither.
    assert left_out.total + len(ranking.shown) == 3 + 2 + 1 + 2 + 3
    assert [expert.first_name for expert in left_out.without_consent] == ["Jong", "Zonder"]
    assert not left_out.more_without_consent
    assert third not in [s.expert for s in ranking.shown] and not_active.pk


def test_the_reasons_read_in_dutch_in_the_order_of_the_rules():
    request = RequestFactory(expected_hours=Decimal("2"))
    candidate(consent_by=None)
    candidate(used="8")
    with translation.override("nl"):
        reasons = suggestions_for_request(request, today=DAY).left_out.reasons
    assert reasons == [
        ("no_consent", "geen toestemming", 1),
        ("no_room", "geen ruimte deze maand", 1),
    ]


def test_nobody_left_out_gives_no_reasons():
    request = RequestFactory(expected_hours=Decimal("2"))
    candidate()
    left_out = suggestions_for_request(request, today=DAY).left_out
    assert (left_out.total, left_out.reasons, left_out.without_consent) == (0, [], [])


def test_at_most_ten_people_without_consent_are_named():
    request = RequestFactory(expected_hours=Decimal("2"))
    for _ in range(11):
        candidate(consent_by=None)
    left_out = suggestions_for_request(request, today=DAY).left_out
    assert left_out.no_consent == 11
    assert len(left_out.without_consent) == 10
    assert left_out.more_without_consent


def test_after_her_consent_is_recorded_she_is_suggested_and_no_longer_left_out():
    request = RequestFactory(perspective=Perspective.PARENT, expected_hours=Decimal("2"))
    parent = candidate(kind=ExpertKind.PARENT, consent_by=None)
    assert suggestions_for_request(request, today=DAY).left_out.no_consent == 1

    ConsentFactory(expert=parent, purpose="participation", given_at=at(DAY), method="paper")

    ranking = suggestions_for_request(request, today=DAY)
    assert [s.expert for s in ranking.shown] == [parent]
    assert ranking.left_out.total == 0


def test_counting_who_is_left_out_takes_a_fixed_number_of_queries():
    request = RequestFactory(expected_hours=Decimal("2"))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            suggestions_for_request(request, today=DAY)
        return len(captured)

    for _ in range(2):
        candidate(consent_by=None)
        candidate(paused_until=DAY)
        candidate()
    few = queries()
    for _ in range(10):
        candidate(consent_by=None)
        candidate(paused_until=DAY)
        candidate(used="8")
        candidate()
    assert queries() == few


def test_twenty_are_shown_by_default_and_the_rest_ranks_below_the_best():
    request = RequestFactory(expected_hours=Decimal("2"))
    for _ in range(21):
        candidate()
    ranking = suggestions_for_request(request, today=DAY)
    assert len(ranking.shown) == 20
    assert (ranking.left_out.shown, ranking.left_out.below_the_best) == (20, 1)


def test_each_rule_counts_only_its_own_people():
    request = RequestFactory(expected_hours=Decimal("1"))
    # An active expert on a break without consent: counted for the break only.
    candidate(paused_until=DAY, consent_by=None)
    # Two who are not active yet, and one paused: two "not active", one "on a break".
    candidate(status=ExpertStatus.CANDIDATE)
    candidate(status=ExpertStatus.CANDIDATE)
    candidate(status=ExpertStatus.PAUSED)
    # One hour given, one asked: she fits and is shown, not left out for want of hours.
    fits = candidate(hours="1")
    ranking = suggestions_for_request(request, today=DAY)
    left_out = ranking.left_out
    assert [s.expert for s in ranking.shown] == [fits]
    assert (left_out.on_break, left_out.not_active, left_out.no_consent, left_out.no_room) == (
        2,
        2,
        0,
        0,
    )


def test_people_without_consent_are_named_by_first_and_last_name(django_assert_num_queries):
    request = RequestFactory(expected_hours=Decimal("2"))
    candidate(consent_by=None, first_name="Zara", last_name="Bos")
    candidate(consent_by=None, first_name="Zara", last_name="Aksoy")
    candidate(consent_by=None, first_name="Anna", last_name="Zwart")
    left_out = suggestions_for_request(request, today=DAY).left_out
    # The names are read with the list: no query per name.
    with django_assert_num_queries(0):
        names = [expert.full_name for expert in left_out.without_consent]
    assert names == ["Anna Zwart", "Zara Aksoy", "Zara Bos"]
