"""Learning networks keep their rules in the database, and a group above the maximum size is
flagged before it is saved."""

import datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from tests.constraints import violates
from tests.factories import (
    BreakoutGroupFactory,
    LearningNetworkFactory,
    MeetingFactory,
    SmallProjectFactory,
)

pytestmark = pytest.mark.django_db

START = timezone.now() + datetime.timedelta(days=7)


def _two_breakout_groups(first: str, second: str):
    group = BreakoutGroupFactory(name=first)
    return BreakoutGroupFactory(meeting=group.meeting, name=second)


# (constraint name, a row that breaks it, the nearest row that keeps it)
CASES = [
    (
        "network_max_group_size_at_least_two",
        lambda: LearningNetworkFactory(max_group_size=1),
        lambda: LearningNetworkFactory(max_group_size=2),
    ),
    (
        "network_max_group_size_at_least_two",
        lambda: LearningNetworkFactory(max_group_size=0),
        lambda: LearningNetworkFactory(max_group_size=None),
    ),
    (
        "meeting_ends_after_start",
        lambda: MeetingFactory(starts_at=START, ends_at=START),
        lambda: MeetingFactory(starts_at=START, ends_at=START + datetime.timedelta(minutes=1)),
    ),
    (
        "meeting_ends_after_start",
        lambda: MeetingFactory(starts_at=START, ends_at=START - datetime.timedelta(hours=1)),
        lambda: MeetingFactory(starts_at=START, ends_at=START + datetime.timedelta(hours=1)),
    ),
    (
        "breakout_name_unique",
        lambda: _two_breakout_groups("Groep A", "Groep A"),
        lambda: _two_breakout_groups("Groep A", "Groep B"),
    ),
    (
        "small_project_ends_after_start",
        lambda: SmallProjectFactory(
            starts_on=datetime.date(2025, 5, 1), ends_on=datetime.date(2025, 4, 30)
        ),
        lambda: SmallProjectFactory(
            starts_on=datetime.date(2025, 5, 1), ends_on=datetime.date(2025, 5, 1)
        ),
    ),
    (
        "small_project_ends_after_start",
        lambda: SmallProjectFactory(
            starts_on=datetime.date(2025, 5, 1), ends_on=datetime.date(2024, 5, 1)
        ),
        # An idea without dates yet is fine.
        lambda: SmallProjectFactory(starts_on=None, ends_on=datetime.date(2024, 5, 1)),
    ),
]


@pytest.mark.parametrize(
    ("name", "bad", "good"),
    [pytest.param(*case, id=f"{case[0]}-{i}") for i, case in enumerate(CASES)],
)
def test_database_rejects_row_breaking_constraint_and_accepts_good_row(name, bad, good):
    # The error must name this constraint, so no other rule is what stopped the row.
    with pytest.raises(IntegrityError, match=violates(name)), transaction.atomic():
        bad()
    assert good().pk is not None


def test_every_learning_networks_constraint_has_a_case():
    defined = {
        constraint.name
        for model in apps.get_app_config("learning_networks").get_models()
        for constraint in model._meta.constraints
    }
    assert defined == {name for name, _bad, _good in CASES}


# Group size: flagged before saving, never silently accepted.


def test_meeting_above_the_general_maximum_is_flagged(settings):
    settings.SAMEN_MAX_GROUP_SIZE = 10
    meeting = MeetingFactory.build(
        network=LearningNetworkFactory(max_group_size=None), expected_participants=11
    )
    with pytest.raises(ValidationError) as caught:
        meeting.clean()
    assert set(caught.value.message_dict) == {"expected_participants"}
    assert "10" in caught.value.message_dict["expected_participants"][0]


def test_meeting_at_the_general_maximum_is_fine(settings):
    settings.SAMEN_MAX_GROUP_SIZE = 10
    meeting = MeetingFactory.build(
        network=LearningNetworkFactory(max_group_size=None), expected_participants=10
    )
    meeting.clean()


def test_meeting_follows_the_networks_own_maximum(settings):
    settings.SAMEN_MAX_GROUP_SIZE = 10
    network = LearningNetworkFactory(max_group_size=7)
    MeetingFactory.build(network=network, expected_participants=7).clean()
    with pytest.raises(ValidationError) as caught:
        MeetingFactory.build(network=network, expected_participants=8).clean()
    assert "expected_participants" in caught.value.message_dict


def test_meeting_full_clean_flags_a_group_that_is_too_big():
    meeting = MeetingFactory.build(
        network=LearningNetworkFactory(max_group_size=5), expected_participants=6
    )
    with pytest.raises(ValidationError) as caught:
        meeting.full_clean()
    assert "expected_participants" in caught.value.message_dict


def test_meeting_ending_before_it_starts_is_flagged():
    meeting = MeetingFactory.build(
        network=LearningNetworkFactory(),
        starts_at=START,
        ends_at=START - datetime.timedelta(minutes=30),
    )
    with pytest.raises(ValidationError) as caught:
        meeting.clean()
    assert set(caught.value.message_dict) == {"ends_at"}


def _dutch_catalogue_exists() -> bool:
    return any(
        (Path(path) / "nl" / "LC_MESSAGES" / "django.mo").exists()
        for path in django_settings.LOCALE_PATHS
    )


def test_meeting_group_size_message_is_dutch():
    if not _dutch_catalogue_exists():
        pytest.skip("The Dutch catalogue (locale/nl) is not compiled yet.")
    meeting = MeetingFactory.build(
        network=LearningNetworkFactory(max_group_size=5), expected_participants=6
    )
    with translation.override("en"), pytest.raises(ValidationError) as english:
        meeting.clean()
    with translation.override("nl"), pytest.raises(ValidationError) as dutch:
        meeting.clean()
    english_message = english.value.message_dict["expected_participants"][0]
    dutch_message = dutch.value.message_dict["expected_participants"][0]
    assert dutch_message != english_message
    assert "5" in dutch_message


def test_breakout_group_above_the_maximum_is_flagged(settings):
    settings.SAMEN_MAX_GROUP_SIZE = 10
    settings.SAMEN_ADVISED_GROUP_SIZE = 7
    BreakoutGroupFactory.build(meeting=MeetingFactory(), size=10).clean()
    with pytest.raises(ValidationError) as caught:
        BreakoutGroupFactory.build(meeting=MeetingFactory(), size=11).clean()
    assert set(caught.value.message_dict) == {"size"}
    message = caught.value.message_dict["size"][0]
    assert "10" in message
    assert "7" in message


def test_breakout_group_follows_the_maximum_setting(settings):
    settings.SAMEN_MAX_GROUP_SIZE = 8
    with pytest.raises(ValidationError) as caught:
        BreakoutGroupFactory.build(meeting=MeetingFactory(), size=9).clean()
    assert "size" in caught.value.message_dict


def test_breakout_group_follows_the_networks_own_maximum(settings):
    settings.SAMEN_MAX_GROUP_SIZE = 10
    meeting = MeetingFactory(network=LearningNetworkFactory(max_group_size=6))
    with pytest.raises(ValidationError):
        BreakoutGroupFactory.build(meeting=meeting, size=8).clean()
