"""The placement services (participation/placements/services.py): ``placement_check`` holds
every rule a new or changed placement keeps (status, network, one open link, a consent to
take part in force and under 16 a parent's, the rate that fits); create, change and end write
the placement with its history."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone, translation

from experts.models import ConsentGiver, ConsentPurpose, ExpertKind, ExpertRole, ExpertStatus
from participation.models import (
    Circle,
    NetworkComposition,
    PaymentScheme,
    Placement,
    PlacementRole,
    PlacementStatus,
)
from participation.placements import selectors as placement_selectors
from participation.placements import services as placement_services
from participation.placements.services import Agreements, placement_check
from tests.factories import (
    ConsentFactory,
    ExpertFactory,
    FeeRateFactory,
    LearningNetworkFactory,
    PlacementFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
TODAY = D(2025, 6, 2)
# 14 on TODAY.
CHILD_BORN = D(2011, 3, 15)


def _create(**kwargs) -> Placement:
    defaults = {
        "ladder_level": 3,
        "starts_on": D(2025, 1, 6),
        "roles": [],
        "agreements": Agreements(hours_per_month=Decimal("4")),
        "created_by": None,
    }
    return placement_services.placement_create(**{**defaults, **kwargs})


def refusals(**kwargs) -> dict[str, list[str]]:
    """What ``placement_check`` refuses, per field, in English; {} when it allows it."""
    defaults = {"roles": [], "agreements": Agreements(), "today": TODAY}
    if "network" not in kwargs:
        defaults["network"] = LearningNetworkFactory()
    try:
        with translation.override("en"):
            placement_check(**{**defaults, **kwargs})
    except ValidationError as refused:
        return refused.message_dict
    return {}


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


# --- The parental-consent gate: under 16, a parent or guardian consents first -----------------

GATE_MESSAGE = (
    "Lina Jansen is under 16. A parent or guardian must give consent before Lina Jansen can "
    "take part. Record the consent on the expert's page first."
)

# (who gave it, for what, given on, withdrawn on, may be linked on TODAY)
GATE_CASES = [
    pytest.param(None, None, None, None, False, id="no-consent"),
    pytest.param(
        ConsentGiver.SELF, ConsentPurpose.PARTICIPATION, TODAY, None, False, id="own-consent"
    ),
    pytest.param(ConsentGiver.PARENT, ConsentPurpose.PARTICIPATION, TODAY, None, True, id="parent"),
    pytest.param(
        ConsentGiver.GUARDIAN, ConsentPurpose.PARTICIPATION, TODAY, None, True, id="guardian"
    ),
    pytest.param(
        ConsentGiver.PARENT, ConsentPurpose.PHOTOS, TODAY, None, False, id="another-purpose"
    ),
    pytest.param(
        ConsentGiver.PARENT,
        ConsentPurpose.PARTICIPATION,
        TODAY - 10 * ONE_DAY,
        TODAY - ONE_DAY,
        False,
        id="withdrawn",
    ),
    pytest.param(
        ConsentGiver.PARENT,
        ConsentPurpose.PARTICIPATION,
        TODAY - 10 * ONE_DAY,
        TODAY,
        False,
        id="withdrawn-on-the-day",
    ),
    pytest.param(
        ConsentGiver.PARENT,
        ConsentPurpose.PARTICIPATION,
        TODAY + ONE_DAY,
        None,
        False,
        id="given-after-the-day",
    ),
]


@pytest.mark.parametrize(("by", "purpose", "given_on", "withdrawn_on", "allowed"), GATE_CASES)
def test_under_16_a_parents_or_guardians_consent_to_take_part_must_be_in_force(
    by, purpose, given_on, withdrawn_on, allowed
):
    child = ExpertFactory(first_name="Lina", last_name="Jansen", date_of_birth=CHILD_BORN)
    if by is not None:
        ConsentFactory(
            expert=child,
            given_by=by,
            given_by_name="" if by == ConsentGiver.SELF else "Petra Jansen",
            purpose=purpose,
            given_at=at(given_on),
            withdrawn_at=None if withdrawn_on is None else at(withdrawn_on),
        )
    expected = {} if allowed else {"expert": [GATE_MESSAGE]}
    assert refusals(expert=child) == expected


def test_from_the_16th_birthday_no_parents_consent_is_asked():
    sixteen_today = ExpertFactory(consent_to_take_part=True, date_of_birth=D(2009, 6, 2))
    sixteen_tomorrow = ExpertFactory(consent_to_take_part=True, date_of_birth=D(2009, 6, 3))
    unknown_age = ExpertFactory(consent_to_take_part=True, date_of_birth=None)
    assert refusals(expert=sixteen_today) == {}
    assert list(refusals(expert=sixteen_tomorrow)) == ["expert"]
    assert refusals(expert=unknown_age) == {}


def test_linking_a_child_without_a_parents_consent_is_refused_in_dutch_and_nothing_is_saved():
    today = timezone.localdate()
    child = ExpertFactory(
        first_name="Lina", last_name="Jansen", date_of_birth=D(today.year - 14, 1, 1)
    )
    own = ConsentFactory(expert=child, given_by=ConsentGiver.SELF)  # not enough under 16
    with pytest.raises(ValidationError) as refused:
        _create(expert=child, network=LearningNetworkFactory())
    assert refused.value.message_dict == {
        "expert": [
            "Lina Jansen is jonger dan 16. Een ouder of voogd moet toestemming geven voordat "
            "Lina Jansen mee kan doen. Leg de toestemming eerst vast op de pagina van "
            "Lina Jansen."
        ]
    }
    assert not Placement.objects.filter(expert=child).exists()
    # One consent per purpose is in force at a time: the guardian's replaces her own.
    own.withdrawn_at = timezone.now()
    own.save()
    ConsentFactory(expert=child, given_by=ConsentGiver.GUARDIAN, given_by_name="Voogd")
    assert _create(expert=child, network=LearningNetworkFactory()).pk


# --- Every new link needs a consent to take part in force, as the suggestions do ------------

NO_CONSENT = (
    "Daan Bakker has not given consent to take part. Record the consent on the expert's page first."
)
WITHDRAWN = (
    "The consent of Daan Bakker to take part was withdrawn. Daan Bakker can only be linked "
    "again with a new consent. Record it on the expert's page first."
)


def _adult(**consent):
    adult = ExpertFactory(first_name="Daan", last_name="Bakker")
    if consent:
        ConsentFactory(expert=adult, **consent)
    return adult


@pytest.mark.parametrize(
    ("consent", "refusal"),
    [
        pytest.param({}, NO_CONSENT, id="none-recorded"),
        pytest.param({"given_at": at(TODAY)}, None, id="in-force"),
        pytest.param(
            {"given_at": at(TODAY - 10 * ONE_DAY), "withdrawn_at": at(TODAY - ONE_DAY)},
            WITHDRAWN,
            id="withdrawn",
        ),
        pytest.param(
            {"given_at": at(TODAY - 10 * ONE_DAY), "withdrawn_at": at(TODAY)},
            WITHDRAWN,
            id="withdrawn-on-the-day",
        ),
        pytest.param(
            {"given_at": at(TODAY - 10 * ONE_DAY), "withdrawn_at": at(TODAY + ONE_DAY)},
            None,
            id="withdrawn-from-tomorrow",
        ),
        pytest.param(
            {"given_at": at(TODAY), "purpose": ConsentPurpose.CONTACT},
            NO_CONSENT,
            id="another-purpose",
        ),
    ],
)
def test_an_adult_is_linked_only_with_a_consent_to_take_part_in_force(consent, refusal):
    expected = {"expert": [refusal]} if refusal else {}
    assert refusals(expert=_adult(**consent)) == expected


def test_a_new_consent_after_a_withdrawal_makes_a_link_possible_again():
    adult = _adult(given_at=at(TODAY - 10 * ONE_DAY), withdrawn_at=at(TODAY - 5 * ONE_DAY))
    assert refusals(expert=adult) == {"expert": [WITHDRAWN]}
    ConsentFactory(expert=adult, given_at=at(TODAY - ONE_DAY))
    assert refusals(expert=adult) == {}


def test_a_withdrawn_consent_stops_new_links_and_reopening_but_not_the_open_link(coordinator):
    adult = ExpertFactory(consent_to_take_part=True, first_name="Daan", last_name="Bakker")
    open_link = _create(expert=adult, network=LearningNetworkFactory())
    ended = _ended(coordinator, expert=adult)
    consent = adult.consents.get()
    consent.withdrawn_at = at(TODAY - ONE_DAY)
    consent.save()

    with pytest.raises(ValidationError) as refused, translation.override("en"):
        placement_services.placement_create(
            expert=adult,
            network=LearningNetworkFactory(),
            ladder_level=3,
            starts_on=TODAY,
            agreements=Agreements(),
            created_by=coordinator,
        )
    assert refused.value.message_dict["expert"] == [WITHDRAWN]
    with pytest.raises(ValidationError), translation.override("en"):
        placement_services.placement_reopen(placement=ended, reopened_by=None, today=TODAY)
    # The open link stays until the coordinator ends it; it can still be changed meanwhile.
    assert refusals(expert=adult, network=open_link.network, placement=open_link) == {}
    assert Placement.objects.filter(expert=adult, status=PlacementStatus.ACTIVE).count() == 1


def test_a_change_of_an_existing_link_does_not_ask_the_consent_again():
    placement = PlacementFactory(expert=ExpertFactory(date_of_birth=CHILD_BORN))
    assert refusals(expert=placement.expert, network=placement.network, placement=placement) == {}


# --- Who and where --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "refused_as"),
    [
        (ExpertStatus.CANDIDATE, None),
        (ExpertStatus.ACTIVE, None),
        (ExpertStatus.PAUSED, None),
        (ExpertStatus.STOPPED, "Stopped"),
        (ExpertStatus.ERASED, "Erased"),
    ],
)
def test_only_a_current_expert_can_be_linked(status, refused_as):
    expert = ExpertFactory(
        consent_to_take_part=True, first_name="Daan", last_name="Bakker", status=status
    )
    message = f"Daan Bakker has status “{refused_as}”. Make them active first."
    assert refusals(expert=expert) == ({"expert": [message]} if refused_as else {})


def test_an_inactive_network_gets_no_new_links():
    network = LearningNetworkFactory(is_active=False)
    assert refusals(expert=ExpertFactory(consent_to_take_part=True), network=network) == {
        "network": ["This network is no longer active."]
    }


@pytest.mark.parametrize(
    ("status", "refused"),
    [
        (PlacementStatus.PROPOSED, True),
        (PlacementStatus.ACTIVE, True),
        (PlacementStatus.PAUSED, True),
        (PlacementStatus.ENDED, False),
    ],
)
def test_a_second_open_link_to_the_same_network_is_refused(status, refused):
    expert = ExpertFactory(consent_to_take_part=True, first_name="Sanne", last_name="de Vries")
    network = LearningNetworkFactory(name="Normaliseren")
    ended = {"ends_on": D(2025, 3, 1), "end_reason": "Klaar"}
    PlacementFactory(
        expert=expert, network=network, status=status, **(ended if not refused else {})
    )
    PlacementFactory(expert=ExpertFactory(), network=network)  # someone else in it is fine
    PlacementFactory(expert=expert)  # and so is another network
    message = (
        "Sanne de Vries is already linked to Normaliseren. Change that placement, or end it first."
    )
    expected = {NON_FIELD_ERRORS: [message]} if refused else {}
    assert refusals(expert=expert, network=network) == expected


def test_an_ended_placement_cannot_be_changed_but_an_open_one_can():
    ended = PlacementFactory(status=PlacementStatus.ENDED, ends_on=D(2025, 2, 1), end_reason="x")
    assert refusals(expert=ended.expert, network=ended.network, placement=ended) == {
        NON_FIELD_ERRORS: ["This placement has ended. It can no longer be changed."]
    }
    # A change is not a new link: the expert's status and the duplicate check do not apply.
    paused = PlacementFactory(
        status=PlacementStatus.PAUSED, expert=ExpertFactory(status=ExpertStatus.STOPPED)
    )
    assert refusals(expert=paused.expert, network=paused.network, placement=paused) == {}


# --- The rate that fits ---------------------------------------------------------------------


def rate_refusals(rate, *, scheme=PaymentScheme.VOLUNTEER_ALLOWANCE, roles=(), **kwargs):
    kwargs.setdefault("expert", ExpertFactory(kind=ExpertKind.YOUTH))
    agreements = Agreements(payment_scheme=scheme, fee_rate=rate)
    return refusals(agreements=agreements, roles=roles, **kwargs).get("fee_rate", [])


def test_a_fitting_rate_or_no_rate_is_allowed():
    rate = FeeRateFactory(valid_from=TODAY, valid_until=TODAY)
    assert rate_refusals(rate) == []
    assert rate_refusals(None, scheme=PaymentScheme.EMPLOYED) == []


@pytest.mark.parametrize(
    ("scheme", "label"),
    [
        (PaymentScheme.EMPLOYED, "Employed (payroll, hours only)"),
        (PaymentScheme.COSTS_ONLY, "Costs only"),
    ],
)
def test_no_rate_is_paid_when_employed_or_for_costs_only(scheme, label):
    rate = FeeRateFactory(payment_scheme=scheme)
    assert rate_refusals(rate, scheme=scheme) == [
        f"With “{label}” no rate is paid. Leave the rate empty."
    ]


def test_a_rate_of_another_way_of_paying_is_refused():
    rate = FeeRateFactory(payment_scheme=PaymentScheme.PAID_FEE)
    assert rate_refusals(rate) == ["This rate belongs to another way of paying."]
    assert rate_refusals(rate, scheme=PaymentScheme.PAID_FEE) == []


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "valid"),
    [
        (TODAY, None, True),
        (TODAY + ONE_DAY, None, False),
        (TODAY - 10 * ONE_DAY, TODAY, True),
        (TODAY - 10 * ONE_DAY, TODAY - ONE_DAY, False),
    ],
)
def test_a_new_rate_must_be_valid_on_the_day(valid_from, valid_until, valid):
    rate = FeeRateFactory(valid_from=valid_from, valid_until=valid_until)
    assert rate_refusals(rate) == ([] if valid else ["This rate is not valid today."])


def test_a_rate_that_expired_since_may_stay_on_the_placement_but_not_be_chosen_anew():
    expired = FeeRateFactory(valid_until=TODAY - ONE_DAY)
    keeps = PlacementFactory(fee_rate=expired)
    other = PlacementFactory()
    same = {"expert": keeps.expert, "network": keeps.network, "placement": keeps}
    assert rate_refusals(expired, **same) == []
    chooses = {"expert": other.expert, "network": other.network, "placement": other}
    assert rate_refusals(expired, **chooses) == ["This rate is not valid today."]


def test_a_rate_for_one_role_needs_that_role():
    rate = FeeRateFactory(role=ExpertRole.EDUCATION)
    assert rate_refusals(rate, roles=[ExpertRole.CONNECTING]) == [
        "This rate is for the role “Education”. Choose that role, or another rate."
    ]
    assert rate_refusals(rate, roles=[ExpertRole.CONNECTING, ExpertRole.EDUCATION]) == []
    assert rate_refusals(FeeRateFactory(role=""), roles=[]) == []


def test_a_rate_set_apart_for_one_kind_is_only_for_that_kind():
    rate = FeeRateFactory(only_for_kind=ExpertKind.PARENT, deviation_reason="Afspraak.")
    youth = ExpertFactory(kind=ExpertKind.YOUTH)
    parent = ExpertFactory(kind=ExpertKind.PARENT)
    assert rate_refusals(rate, expert=youth) == ["This rate is only for Parent."]
    assert rate_refusals(rate, expert=parent) == []


def test_every_reason_to_refuse_a_rate_is_given_at_once():
    rate = FeeRateFactory(
        payment_scheme=PaymentScheme.EMPLOYED,
        role=ExpertRole.EDUCATION,
        only_for_kind=ExpertKind.PARENT,
        deviation_reason="Afspraak.",
        valid_until=TODAY - ONE_DAY,
    )
    assert len(rate_refusals(rate, scheme=PaymentScheme.EMPLOYED)) == 4
    assert len(rate_refusals(rate, scheme=PaymentScheme.VOLUNTEER_ALLOWANCE)) == 4


# --- Create: circle, one open link, the rules checked --------------------------------------


def test_circle_follows_the_ladder_level():
    network = LearningNetworkFactory()
    core = _create(expert=ExpertFactory(consent_to_take_part=True), network=network, ladder_level=1)
    second = _create(
        expert=ExpertFactory(consent_to_take_part=True), network=network, ladder_level=4
    )
    third = _create(
        expert=ExpertFactory(consent_to_take_part=True), network=network, ladder_level=5
    )
    assert [core.circle, second.circle, third.circle] == [
        Circle.CORE,
        Circle.SECOND,
        Circle.THIRD,
    ]
    assert not core.circle_overridden


def test_circle_can_be_chosen_by_hand():
    placement = _create(
        expert=ExpertFactory(consent_to_take_part=True),
        network=LearningNetworkFactory(),
        ladder_level=1,
        circle="third",
    )
    placement.refresh_from_db()
    assert (placement.circle, placement.circle_overridden) == (Circle.THIRD, True)


def test_second_open_placement_for_same_expert_and_network_is_refused():
    expert = ExpertFactory(consent_to_take_part=True, first_name="Sanne", last_name="de Vries")
    network = LearningNetworkFactory(name="Normaliseren")
    _create(expert=expert, network=network)
    with pytest.raises(ValidationError) as refused:
        _create(expert=expert, network=network)
    assert refused.value.messages == [
        placement_services.duplicate_message(expert=expert, network=network)
    ]
    assert "Sanne de Vries" in refused.value.messages[0]
    assert "Normaliseren" in refused.value.messages[0]
    assert Placement.objects.filter(expert=expert).count() == 1


def test_after_ending_the_expert_can_be_linked_to_the_same_network_again():
    expert, network = ExpertFactory(consent_to_take_part=True), LearningNetworkFactory()
    first = _create(expert=expert, network=network)
    placement_services.placement_end(
        placement=first, ends_on=D(2025, 3, 1), reason="Pauze", ended_by=None
    )
    again = _create(expert=expert, network=network, starts_on=D(2025, 4, 1))
    assert again.status == PlacementStatus.ACTIVE


def test_database_constraint_turns_into_the_same_message_when_the_check_is_passed(monkeypatch):
    """Two coordinators at once: the check passed for both; the constraint refuses the second."""
    expert, network = ExpertFactory(), LearningNetworkFactory()
    PlacementFactory(expert=expert, network=network)
    monkeypatch.setattr(placement_services, "placement_check", lambda **kwargs: None)
    monkeypatch.setattr(Placement, "validate_constraints", lambda self, exclude=None: None)
    with pytest.raises(ValidationError) as refused:
        _create(expert=expert, network=network)
    assert refused.value.messages == [
        placement_services.duplicate_message(expert=expert, network=network)
    ]
    assert Placement.objects.filter(expert=expert).count() == 1


def test_create_checks_the_rules_and_saves_the_agreements_rate_and_roles(coordinator):
    network = LearningNetworkFactory()
    with pytest.raises(ValidationError) as refused:
        _create(
            expert=ExpertFactory(consent_to_take_part=True, status=ExpertStatus.STOPPED),
            network=network,
        )
    assert set(refused.value.message_dict) == {"expert"}
    paid = FeeRateFactory(
        name="Honorarium", payment_scheme=PaymentScheme.PAID_FEE, role=ExpertRole.EDUCATION
    )
    agreements = Agreements(
        expectations="Meedenken in de bijeenkomsten.",
        hours_per_month=Decimal("6"),
        attendance_agreement="Elke bijeenkomst",
        continuity_agreement="Een jaar",
        payment_scheme=PaymentScheme.PAID_FEE,
        fee_rate=paid,
        travel_costs_reimbursed=False,
    )
    placement = _create(
        expert=ExpertFactory(consent_to_take_part=True),
        network=network,
        agreements=agreements,
        starts_on=D(2025, 2, 3),
        roles=[ExpertRole.EDUCATION, ExpertRole.CONNECTING],
        created_by=coordinator,
    )
    placement.refresh_from_db()
    saved = (
        placement.status,
        placement.starts_on,
        placement.expectations,
        placement.hours_per_month,
        placement.attendance_agreement,
        placement.continuity_agreement,
        placement.payment_scheme,
        placement.fee_rate,
        placement.travel_costs_reimbursed,
        placement.created_by,
    )
    assert saved == (
        PlacementStatus.ACTIVE,
        D(2025, 2, 3),
        "Meedenken in de bijeenkomsten.",
        Decimal("6"),
        "Elke bijeenkomst",
        "Een jaar",
        PaymentScheme.PAID_FEE,
        paid,
        False,
        coordinator,
    )
    assert sorted(placement.roles.values_list("role", flat=True)) == ["connecting", "education"]
    assert placement.history.get().history_user == coordinator
    assert {row.history_user for row in PlacementRole.history.all()} == {coordinator}


# --- Change keeps the ladder history, end needs a reason -----------------------------------


def test_changing_the_ladder_level_keeps_every_level_with_date_and_who(coordinator):
    placement = _create(
        expert=ExpertFactory(consent_to_take_part=True),
        network=LearningNetworkFactory(),
        ladder_level=4,
        created_by=coordinator,
    )
    placement_services.placement_update(
        placement=placement,
        ladder_level=2,
        roles=[ExpertRole.ADVOCACY, ExpertRole.CONNECTING],
        agreements=Agreements(hours_per_month=Decimal("6")),
        changed_by=coordinator,
    )
    # A change of the agreements and roles alone is not a ladder change.
    placement_services.placement_update(
        placement=placement,
        ladder_level=2,
        roles=[ExpertRole.EDUCATION, ExpertRole.CONNECTING],
        agreements=Agreements(hours_per_month=Decimal("8")),
        changed_by=coordinator,
    )
    roles = set(placement.roles.values_list("role", flat=True))
    assert roles == {ExpertRole.EDUCATION, ExpertRole.CONNECTING}
    placement_services.placement_update(
        placement=placement, ladder_level=1, roles=[], agreements=Agreements(), changed_by=None
    )
    history = placement_selectors.ladder_history(placement)
    assert [(h["old_level"], h["new_level"]) for h in history] == [(None, 4), (4, 2), (2, 1)]
    assert [h["by"] for h in history] == [coordinator, coordinator, None]
    assert all(isinstance(h["date"], datetime.datetime) for h in history)
    assert history[0]["date"] <= history[1]["date"] <= history[2]["date"]
    placement.refresh_from_db()
    assert (placement.ladder_level, placement.circle) == (1, Circle.CORE)
    assert not placement.roles.exists()
    removed = PlacementRole.history.filter(history_type="-")
    assert sorted((row.role, row.history_user_id or 0) for row in removed) == [
        (ExpertRole.ADVOCACY, coordinator.pk),
        (ExpertRole.CONNECTING, 0),
        (ExpertRole.EDUCATION, 0),
    ]


def test_an_ended_placement_cannot_be_changed():
    placement = PlacementFactory(
        status=PlacementStatus.ENDED, ends_on=D(2025, 2, 1), end_reason="Verhuisd"
    )
    with pytest.raises(ValidationError):
        placement_services.placement_update(
            placement=placement, ladder_level=1, roles=[], agreements=Agreements(), changed_by=None
        )


def test_ending_requires_a_reason_and_a_date_from_the_start_until_today(coordinator):
    placement = PlacementFactory(starts_on=D(2025, 1, 1))
    attempts = [
        ({"ends_on": D(2025, 3, 1), "reason": "   "}, "reason"),
        ({"ends_on": D(2024, 12, 31), "reason": "Gestopt"}, "ends_on"),
        ({"ends_on": TODAY + datetime.timedelta(days=1), "reason": "Gestopt"}, "ends_on"),
    ]
    for kwargs, field in attempts:
        with pytest.raises(ValidationError) as refused:
            placement_services.placement_end(
                placement=placement, ended_by=coordinator, today=TODAY, **kwargs
            )
        assert field in refused.value.message_dict
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.ACTIVE

    placement_services.placement_end(
        placement=placement,
        ends_on=D(2025, 3, 1),
        reason=" Verhuisd naar Groningen ",
        ended_by=coordinator,
        today=TODAY,
    )
    placement.refresh_from_db()
    assert (placement.status, placement.ends_on, placement.end_reason) == (
        PlacementStatus.ENDED,
        D(2025, 3, 1),
        "Verhuisd naar Groningen",
    )
    assert placement.history.first().history_user == coordinator
    with pytest.raises(ValidationError):
        placement_services.placement_end(
            placement=placement, ends_on=TODAY, reason="Nog eens", ended_by=None, today=TODAY
        )


# --- Reopen: an ended placement comes back, with the checks of a new link ---------------------


def _ended(coordinator=None, **kwargs) -> Placement:
    placement = _create(
        expert=kwargs.pop("expert", None) or ExpertFactory(consent_to_take_part=True),
        network=kwargs.pop("network", None) or LearningNetworkFactory(),
        roles=[ExpertRole.EDUCATION],
        **kwargs,
    )
    return placement_services.placement_end(
        placement=placement,
        ends_on=D(2025, 3, 1),
        reason="Per ongeluk beëindigd",
        ended_by=coordinator,
        today=TODAY,
    )


def test_reopening_makes_it_active_again_with_its_agreements_and_keeps_the_end_in_history(
    coordinator,
):
    placement = _ended(coordinator)
    network = placement.network
    assert NetworkComposition.objects.get(network=network).youth == 0

    reopened = placement_services.placement_reopen(
        placement=placement, reopened_by=coordinator, today=TODAY
    )

    reopened.refresh_from_db()
    assert (reopened.status, reopened.ends_on, reopened.end_reason) == (
        PlacementStatus.ACTIVE,
        None,
        "",
    )
    assert reopened.hours_per_month == Decimal("4")
    assert [row.role for row in reopened.roles.all()] == [ExpertRole.EDUCATION]
    assert NetworkComposition.objects.get(network=network).youth == 1
    # Created, ended, reopened: each with who did it; the end and its reason stay readable.
    rows = list(reopened.history.order_by("history_date", "history_id"))
    assert [row.status for row in rows] == ["active", "ended", "active"]
    assert rows[1].end_reason == "Per ongeluk beëindigd"
    assert rows[2].history_user == coordinator
    changes = placement_selectors.history_changes([reopened.pk], fields=("status",))
    assert [row.status for _previous, row in changes[reopened.pk]] == ["active", "ended", "active"]


def test_only_an_ended_placement_is_reopened():
    placement = _create(
        expert=ExpertFactory(consent_to_take_part=True), network=LearningNetworkFactory()
    )
    with pytest.raises(ValidationError, match="not ended"), translation.override("en"):
        placement_services.placement_reopen(placement=placement, reopened_by=None, today=TODAY)


def test_reopening_is_refused_when_the_expert_was_linked_again_since():
    placement = _ended()
    again = _create(expert=placement.expert, network=placement.network)
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        placement_services.placement_reopen(placement=placement, reopened_by=None, today=TODAY)
    assert "already linked" in refused.value.messages[0]
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.ENDED
    assert again.status == PlacementStatus.ACTIVE


@pytest.mark.parametrize("what", ["stopped", "network closed", "no parent's consent"])
def test_reopening_asks_the_checks_of_a_new_link(what):
    child = ExpertFactory(date_of_birth=CHILD_BORN, first_name="Lina", last_name="Jansen")
    ConsentFactory(
        expert=child,
        purpose="participation",
        given_by=ConsentGiver.PARENT,
        given_by_name="Moeder",
        given_at=at(D(2025, 1, 1)),
    )
    placement = _ended(expert=child)
    if what == "stopped":
        child.status = ExpertStatus.STOPPED
        child.save()
    elif what == "network closed":
        placement.network.is_active = False
        placement.network.save()
    else:
        consent = child.consents.get()
        consent.withdrawn_at = at(D(2025, 4, 1))
        consent.save()
    with pytest.raises(ValidationError):
        placement_services.placement_reopen(placement=placement, reopened_by=None, today=TODAY)
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.ENDED


def test_reopening_keeps_a_rate_that_expired_since():
    rate = FeeRateFactory(valid_from=D(2024, 1, 1), valid_until=D(2025, 2, 28))
    expert, network = ExpertFactory(consent_to_take_part=True), LearningNetworkFactory()
    placement = PlacementFactory(
        expert=expert,
        network=network,
        fee_rate=rate,
        status=PlacementStatus.ENDED,
        ends_on=D(2025, 3, 1),
        end_reason="Per ongeluk",
    )
    reopened = placement_services.placement_reopen(
        placement=placement, reopened_by=None, today=TODAY
    )
    assert reopened.fee_rate == rate


def test_agreements_of_a_placement_are_every_agreement_it_holds():
    rate = FeeRateFactory()
    placement = PlacementFactory(
        expectations="Meedenken over de agenda",
        hours_per_month=Decimal("6.5"),
        attendance_agreement="Vier van de vijf bijeenkomsten",
        continuity_agreement="Minstens een jaar",
        payment_scheme="paid_fee",
        fee_rate=rate,
        travel_costs_reimbursed=False,
    )
    assert Agreements.of(placement) == Agreements(
        expectations="Meedenken over de agenda",
        hours_per_month=Decimal("6.5"),
        attendance_agreement="Vier van de vijf bijeenkomsten",
        continuity_agreement="Minstens een jaar",
        payment_scheme="paid_fee",
        fee_rate=rate,
        travel_costs_reimbursed=False,
    )
