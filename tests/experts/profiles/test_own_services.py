"""The expert's own profile services: ``expert_profile_update`` (only the expert's own fields,
the contact rule, history with who changed what, the same change twice changes nothing) and
the away periods, which count in the one definition of being on a break."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from experts.models import (
    AvailableTime,
    AwayPeriod,
    Expert,
    ExpertStatus,
    ExpertSupportNeed,
)
from experts.profiles.services import (
    away_period_add,
    away_period_change,
    away_period_remove,
    expert_profile_update,
)
from participation.requests.matching import suggestions_for_request, why_not_suggested
from tests.factories import ConsentFactory, ExpertFactory, RequestFactory, ThemeFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def _update(expert: Expert, **fields) -> Expert:
    return expert_profile_update(expert=expert, by=expert.user, **fields)


# --- expert_profile_update ---------------------------------------------------------------------


def test_an_expert_changes_their_contact_details_and_ways_to_be_reached(expert):
    saved = _update(
        expert,
        email=" Esra.Nieuw@Samen.TEST ",
        phone="06 12345678",
        city="Leiden",
        channels=["email", "chat"],
        preferred_channel="chat",
    )
    saved.refresh_from_db()
    assert (saved.email, saved.phone, saved.city) == (
        "esra.nieuw@samen.test",
        "06 12345678",
        "Leiden",
    )
    assert saved.contact_channels == ["email", "chat"]
    assert (saved.contact_by_call, saved.contact_by_text) == (False, False)
    assert saved.preferred_channel == "chat"


def test_the_expert_cannot_set_what_the_coordinator_decides(expert):
    for field, value in [
        ("status", ExpertStatus.STOPPED),
        ("private_notes", "mijn eigen notitie"),
        ("paused_until", TODAY),
        ("first_name", "Anders"),
        ("kind", "parent"),
    ]:
        with pytest.raises(TypeError):
            _update(expert, **{field: value})
    expert.refresh_from_db()
    assert expert.status == ExpertStatus.ACTIVE
    assert expert.private_notes == ""


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        pytest.param({"channels": []}, "channels", id="no-way-at-all"),
        pytest.param(
            {"channels": ["email"], "email": "", "preferred_channel": "email"},
            "email",
            id="e-mail-without-an-address",
        ),
        pytest.param(
            {"channels": ["call", "text"], "phone": "", "preferred_channel": "call"},
            "phone",
            id="phone-without-a-number",
        ),
        pytest.param(
            {"channels": ["email"], "preferred_channel": "chat"},
            "preferred_channel",
            id="liked-best-is-not-chosen",
        ),
    ],
)
def test_at_least_one_way_to_reach_the_expert_stays_on(expert, fields, field):
    with pytest.raises(ValidationError) as error:
        _update(expert, **fields)
    assert field in error.value.message_dict
    expert.refresh_from_db()
    assert expert.contact_channels == ["email"]
    assert expert.email == "expex@samen.test"


def test_emptying_the_address_of_the_only_way_is_refused(expert):
    with pytest.raises(ValidationError) as error:
        _update(expert, email="")
    assert list(error.value.message_dict) == ["email"]


def test_an_address_of_another_expert_is_refused_without_saying_whose(expert, other_expert):
    with pytest.raises(ValidationError) as error:
        _update(expert, email=other_expert.email.upper())
    message = " ".join(error.value.message_dict["email"])
    assert other_expert.full_name not in message
    expert.refresh_from_db()
    assert expert.email == "expex@samen.test"


def test_changing_sharing_and_benefit_records_the_expert_as_who_changed_it(expert, expert_user):
    _update(expert, share_phone_with_leads=True, benefit_situation="uwv")
    latest = expert.history.first()
    assert (latest.history_type, latest.history_user) == ("~", expert_user)
    assert (latest.share_phone_with_leads, latest.benefit_situation) == (True, "uwv")


def test_the_same_change_sent_twice_changes_nothing_the_second_time(expert):
    themes = [ThemeFactory(), ThemeFactory()]
    change = {
        "share_email_with_leads": True,
        "themes": themes,
        "roles": ["education"],
        "support_needs": ["companion", "reading"],
        "available_times": [(0, "evening"), (3, "morning")],
        "goals": "Leren praten in een groep",
    }
    _update(expert, **change)
    rows = expert.history.count()
    changed_at = Expert.objects.get(pk=expert.pk).updated_at
    _update(expert, **change)
    expert.refresh_from_db()
    assert expert.history.count() == rows
    assert expert.updated_at == changed_at
    assert set(expert.themes.all()) == set(themes)
    assert ExpertSupportNeed.objects.filter(expert=expert).count() == 2
    assert set(expert.available_times.values_list("weekday", "part")) == {
        (0, "evening"),
        (3, "morning"),
    }


def test_lists_are_replaced_by_what_is_sent(expert):
    _update(expert, support_needs=["companion"], available_times=[(0, "evening"), (1, "morning")])
    _update(expert, support_needs=["language"], available_times=[(1, "morning"), (5, "afternoon")])
    assert list(expert.support_needs.values_list("need", flat=True)) == ["language"]
    assert set(AvailableTime.objects.filter(expert=expert).values_list("weekday", "part")) == {
        (1, "morning"),
        (5, "afternoon"),
    }


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"support_needs": ["massage"]}, "support_needs"),
        ({"available_times": [(7, "morning")]}, "available_times"),
        ({"available_times": [(1, "night")]}, "available_times"),
        ({"channels": ["pigeon"]}, "channels"),
        ({"availability_hours_per_month": Decimal("-1")}, "availability_hours_per_month"),
        ({"meeting_mode": "anywhere"}, "meeting_mode"),
    ],
)
def test_values_outside_the_lists_are_refused(expert, fields, field):
    with pytest.raises(ValidationError) as error:
        _update(expert, **fields)
    assert field in error.value.message_dict


def test_text_is_stored_as_written(expert):
    text = '<script>alert("x")</script> Ik wil leren.'
    _update(expert, goals=text, support_note=text, bio=text)
    expert.refresh_from_db()
    assert (expert.goals, expert.support_note, expert.bio) == (text, text, text)


# --- away periods ------------------------------------------------------------------------------


def test_an_away_period_is_added_once_even_when_sent_twice(expert):
    first = away_period_add(expert=expert, starts_on=TODAY + DAY, ends_on=TODAY + 7 * DAY)
    again = away_period_add(expert=expert, starts_on=TODAY + DAY, ends_on=TODAY + 7 * DAY)
    assert first.pk == again.pk
    assert AwayPeriod.objects.filter(expert=expert).count() == 1


@pytest.mark.parametrize(
    ("starts", "ends"),
    [
        pytest.param(5, 4, id="last-day-before-the-first"),
        pytest.param(-10, -1, id="over-already"),
        pytest.param(1, 2 * 365 + 1, id="too-far-ahead"),
        pytest.param(9000, 9001, id="absurdly-far-ahead"),
    ],
)
def test_a_wrong_away_period_is_refused_in_words_and_nothing_is_stored(expert, starts, ends):
    with pytest.raises(ValidationError) as error:
        away_period_add(expert=expert, starts_on=TODAY + starts * DAY, ends_on=TODAY + ends * DAY)
    assert "ends_on" in error.value.message_dict
    assert not AwayPeriod.objects.exists()


def test_a_period_that_started_and_still_lasts_may_be_added(expert):
    period = away_period_add(expert=expert, starts_on=TODAY - 3 * DAY, ends_on=TODAY)
    assert period.pk


def test_changing_a_period_keeps_the_rules(expert):
    period = away_period_add(expert=expert, starts_on=TODAY + DAY, ends_on=TODAY + 2 * DAY)
    away_period_change(period=period, starts_on=TODAY + 3 * DAY, ends_on=TODAY + 4 * DAY)
    period.refresh_from_db()
    assert (period.starts_on, period.ends_on) == (TODAY + 3 * DAY, TODAY + 4 * DAY)
    with pytest.raises(ValidationError):
        away_period_change(period=period, starts_on=TODAY + 4 * DAY, ends_on=TODAY + 3 * DAY)
    period.refresh_from_db()
    assert period.ends_on == TODAY + 4 * DAY


def test_changing_a_period_into_one_the_expert_has_already_is_refused(expert):
    away_period_add(expert=expert, starts_on=TODAY + DAY, ends_on=TODAY + 2 * DAY)
    other = away_period_add(expert=expert, starts_on=TODAY + 5 * DAY, ends_on=TODAY + 6 * DAY)
    with pytest.raises(ValidationError) as error:
        away_period_change(period=other, starts_on=TODAY + DAY, ends_on=TODAY + 2 * DAY)
    assert "starts_on" in error.value.message_dict
    other.refresh_from_db()
    assert other.starts_on == TODAY + 5 * DAY


def test_removing_a_period(expert):
    period = away_period_add(expert=expert, starts_on=TODAY, ends_on=TODAY + DAY)
    away_period_remove(period=period)
    assert not AwayPeriod.objects.exists()


# --- away periods count in the one definition of being on a break ------------------------------


def test_an_away_period_makes_the_expert_unavailable_on_its_days_only():
    away = ExpertFactory()
    AwayPeriod.objects.create(expert=away, starts_on=TODAY - DAY, ends_on=TODAY + DAY)
    for day, available in [
        (TODAY - 2 * DAY, True),
        (TODAY - DAY, False),  # the first day counts
        (TODAY, False),
        (TODAY + DAY, False),  # the last day counts
        (TODAY + 2 * DAY, True),
    ]:
        assert (away in Expert.objects.available(on=day)) is available, day
        assert (away in Expert.objects.on_break(on=day)) is not available, day
        assert away.is_on_break(day) is not available, day


def test_the_coordinators_break_still_counts():
    paused = ExpertFactory(paused_until=TODAY)
    assert paused in Expert.objects.on_break(on=TODAY)
    assert paused not in Expert.objects.available(on=TODAY)
    assert paused.is_on_break(TODAY)


def test_another_experts_away_period_does_not_count():
    free = ExpertFactory()
    AwayPeriod.objects.create(expert=ExpertFactory(), starts_on=TODAY, ends_on=TODAY)
    assert free in Expert.objects.available(on=TODAY)
    assert not free.is_on_break(TODAY)


def test_an_expert_who_is_away_is_not_suggested_and_counted_as_on_a_break():
    request = RequestFactory(expected_hours=Decimal("2"))
    away = ExpertFactory(first_name="Mila", last_name="Smit")
    ConsentFactory(expert=away, purpose="participation")
    AwayPeriod.objects.create(expert=away, starts_on=TODAY, ends_on=TODAY + DAY)

    suggestions = suggestions_for_request(request, today=TODAY)
    assert suggestions.shown == []
    assert suggestions.left_out.on_break == 1
    with translation.override("en"):
        assert why_not_suggested(request, away, today=TODAY) == "Mila Smit is taking a break."

    # The day after the period, the same expert is suggested again.
    later = suggestions_for_request(request, today=TODAY + 2 * DAY)
    assert [s.expert for s in later.shown] == [away]
    assert later.left_out.on_break == 0
