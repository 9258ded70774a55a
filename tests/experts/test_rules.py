"""The rules about experts and their consent, tested where they are defined
(experts/consents/models.py and experts/profiles/models.py): which consent is in force on a
day, whose consent counts under 16, the age on a day, who may be asked. Where a rule has a
Python form for one record and a SQL form for many rows, both forms meet the same cases."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from experts.models import (
    PARENTAL_CONSENT_AGE,
    Consent,
    ConsentGiver,
    ConsentPurpose,
    Expert,
    ExpertPreferredRole,
    ExpertRole,
    ExpertStatus,
    Theme,
)
from experts.profiles.models import years_before
from tests.factories import ConsentFactory, ExpertFactory, ParentalConsentRequestFactory

pytestmark = pytest.mark.django_db

D = datetime.date
DAY = D(2025, 6, 16)
ONE_DAY = datetime.timedelta(days=1)
# 15 on DAY, 16 on 10 January 2026.
FIFTEEN = D(2010, 1, 10)
# Sixteen on DAY since a few months.
SIXTEEN = D(2009, 1, 10)

DB_EXAMPLES = settings(
    max_examples=50,
    deadline=None,
    # Each example writes its own rows inside the test's transaction.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def at(day: datetime.date, hour: int = 12, minute: int = 0) -> datetime.datetime:
    """A moment on ``day`` in Samen's time zone (Europe/Amsterdam)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def consent(expert=None, *, by=ConsentGiver.SELF, purpose=ConsentPurpose.PARTICIPATION, **kw):
    name = "" if by == ConsentGiver.SELF else "Petra de Vries"
    return ConsentFactory(
        expert=expert or ExpertFactory(),
        given_by=by,
        given_by_name=name,
        purpose=purpose,
        **kw,
    )


def in_force_sql(c: Consent, day: datetime.date) -> bool:
    return Consent.objects.in_force(on=day).filter(pk=c.pk).exists()


# --- Consent: in force on a day -------------------------------------------------------------


# (given on, withdrawn on, in force on DAY)
IN_FORCE_CASES = [
    pytest.param(DAY - ONE_DAY, None, True, id="given-the-day-before"),
    pytest.param(DAY, None, True, id="given-on-the-day"),
    pytest.param(DAY + ONE_DAY, None, False, id="given-the-day-after"),
    pytest.param(DAY - 2 * ONE_DAY, DAY - ONE_DAY, False, id="withdrawn-the-day-before"),
    pytest.param(DAY - ONE_DAY, DAY, False, id="withdrawn-on-the-day"),
    pytest.param(DAY - ONE_DAY, DAY + ONE_DAY, True, id="withdrawn-the-day-after"),
    pytest.param(DAY, DAY, False, id="given-and-withdrawn-on-the-day"),
]


@pytest.mark.parametrize(("given_on", "withdrawn_on", "expected"), IN_FORCE_CASES)
def test_consent_is_in_force_from_the_day_given_until_the_day_withdrawn(
    given_on, withdrawn_on, expected
):
    c = consent(
        given_at=at(given_on, 9),
        withdrawn_at=None if withdrawn_on is None else at(withdrawn_on, 10),
    )
    assert in_force_sql(c, DAY) is expected
    assert c.in_force_on(DAY) is expected


def test_consent_days_are_counted_in_dutch_time_not_utc():
    # 00:30 in Amsterdam is still the day before in UTC; the consent counts from the Dutch day.
    c = consent(given_at=at(DAY, 0, 30), withdrawn_at=at(DAY + 2 * ONE_DAY, 23, 30))
    assert [in_force_sql(c, d) for d in (DAY - ONE_DAY, DAY, DAY + 2 * ONE_DAY)] == [
        False,
        True,
        False,
    ]
    assert [c.in_force_on(d) for d in (DAY - ONE_DAY, DAY, DAY + 2 * ONE_DAY)] == [
        False,
        True,
        False,
    ]
    assert in_force_sql(c, DAY + ONE_DAY) and c.in_force_on(DAY + ONE_DAY)


def test_in_force_without_a_day_means_today():
    today = timezone.localdate()
    current = consent(given_at=at(today, 0, 5))
    tomorrow = consent(given_at=at(today + ONE_DAY, 0, 5))
    withdrawn = consent(given_at=at(today - ONE_DAY), withdrawn_at=at(today, 0, 5))
    assert set(Consent.objects.in_force()) == {current}
    assert [current.in_force, tomorrow.in_force, withdrawn.in_force] == [True, False, False]


@DB_EXAMPLES
@given(
    given_minutes=st.integers(min_value=-3 * 24 * 60, max_value=3 * 24 * 60),
    kept_minutes=st.none() | st.integers(min_value=0, max_value=4 * 24 * 60),
    day_offset=st.integers(min_value=-4, max_value=4),
)
def test_python_and_sql_forms_of_in_force_agree(given_minutes, kept_minutes, day_offset):
    given_at = at(DAY, 0) + datetime.timedelta(minutes=given_minutes)
    withdrawn_at = None
    if kept_minutes is not None:
        withdrawn_at = given_at + datetime.timedelta(minutes=kept_minutes)
    c = consent(given_at=given_at, withdrawn_at=withdrawn_at)
    day = DAY + day_offset * ONE_DAY
    assert c.in_force_on(day) == in_force_sql(c, day)


# --- Consent: whose, and for what ----------------------------------------------------------


def test_parental_consent_is_one_given_by_a_parent_or_a_guardian():
    expert = ExpertFactory()
    own = consent(expert, by=ConsentGiver.SELF, purpose=ConsentPurpose.PARTICIPATION)
    parent = consent(expert, by=ConsentGiver.PARENT, purpose=ConsentPurpose.CONTACT)
    guardian = consent(expert, by=ConsentGiver.GUARDIAN, purpose=ConsentPurpose.PHOTOS)
    assert set(Consent.objects.parental()) == {parent, guardian}
    assert [own.is_parental, parent.is_parental, guardian.is_parental] == [False, True, True]


def test_consent_to_take_part_is_only_the_participation_purpose():
    expert = ExpertFactory()
    taking_part = consent(expert, purpose=ConsentPurpose.PARTICIPATION)
    for purpose in (ConsentPurpose.SPECIAL_DATA, ConsentPurpose.CONTACT, ConsentPurpose.PHOTOS):
        consent(expert, purpose=purpose)
    assert list(Consent.objects.to_take_part()) == [taking_part]


def test_consent_reads_as_expert_and_purpose():
    c = consent(ExpertFactory(first_name="Sanne", last_name="Bakker"))
    assert str(c) == "Sanne Bakker – Meedoen aan leernetwerken en vragen"


# --- Age on a day ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "years", "earlier"),
    [
        (D(2025, 6, 16), 16, D(2009, 6, 16)),
        (D(2025, 6, 16), 21, D(2004, 6, 16)),
        (D(2024, 2, 29), 16, D(2008, 2, 29)),
        # No 29 February in the year reached: the day before 1 March.
        (D(2024, 2, 29), 15, D(2009, 2, 28)),
        (D(2116, 2, 29), 16, D(2100, 2, 28)),
    ],
)
def test_years_before_is_the_same_date_that_many_years_earlier(day, years, earlier):
    assert years_before(day, years) == earlier


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (D(2009, 6, 15), D(2025, 6, 14), 15),
        (D(2009, 6, 15), D(2025, 6, 15), 16),
        (D(2009, 6, 15), D(2025, 6, 16), 16),
        (D(2009, 6, 15), D(2025, 5, 20), 15),
        (D(2009, 6, 15), D(2025, 7, 1), 16),
        (D(2008, 2, 29), D(2024, 2, 28), 15),
        (D(2008, 2, 29), D(2024, 2, 29), 16),
        # In a year without 29 February, a leap-day child turns a year older on 1 March.
        (D(2008, 2, 29), D(2025, 2, 28), 16),
        (D(2009, 3, 1), D(2025, 2, 28), 15),
        (D(2009, 3, 1), D(2025, 3, 1), 16),
        (D(2004, 2, 29), D(2021, 2, 28), 16),
        (D(2004, 2, 29), D(2021, 3, 1), 17),
        (D(2025, 6, 16), D(2025, 6, 16), 0),
    ],
)
def test_age_on_counts_whole_years_around_the_birthday(born, day, age):
    assert Expert(date_of_birth=born).age_on(day) == age


def test_age_is_unknown_without_date_of_birth():
    expert = Expert(date_of_birth=None)
    assert expert.age_on(DAY) is None
    assert expert.age is None
    assert expert.needs_parental_consent_on(DAY) is False
    assert expert.needs_parental_consent is False


def test_age_without_a_day_is_the_age_today():
    today = timezone.localdate()
    assert Expert(date_of_birth=years_before(today, 30)).age == 30
    assert Expert(date_of_birth=years_before(today, 30) + ONE_DAY).age == 29


@pytest.mark.parametrize(
    ("born", "day", "needs"),
    [
        pytest.param(D(2009, 6, 16), D(2025, 6, 15), True, id="the-day-before-the-16th-birthday"),
        pytest.param(D(2009, 6, 16), D(2025, 6, 16), False, id="on-the-16th-birthday"),
        pytest.param(D(2008, 2, 29), D(2024, 2, 28), True, id="leap-day-child-the-day-before"),
        pytest.param(D(2008, 2, 29), D(2024, 2, 29), False, id="leap-day-child-on-the-day"),
        pytest.param(D(2009, 2, 28), D(2025, 2, 28), False, id="16-on-28-february"),
        pytest.param(D(2009, 3, 1), D(2025, 2, 28), True, id="16-on-1-march"),
        pytest.param(D(1990, 1, 1), D(2025, 6, 16), False, id="an-adult"),
        pytest.param(D(2020, 1, 1), D(2025, 6, 16), True, id="a-young-child"),
    ],
)
def test_under_16_needs_a_parents_consent_until_the_16th_birthday(born, day, needs):
    expert = ExpertFactory(date_of_birth=born)
    assert expert.needs_parental_consent_on(day) is needs
    in_sql = Expert.objects.needing_parental_consent(on=day).filter(pk=expert.pk).exists()
    assert in_sql is needs


def test_needs_parental_consent_without_a_day_means_today():
    today = timezone.localdate()
    sixteen_today = years_before(today, 16)
    assert Expert(date_of_birth=sixteen_today).needs_parental_consent is False
    assert Expert(date_of_birth=sixteen_today + ONE_DAY).needs_parental_consent is True


def test_parental_consent_age_is_16():
    # AVG art. 8 with UAVG art. 5: the Dutch age of digital consent.
    assert PARENTAL_CONSENT_AGE == 16


@pytest.mark.parametrize("age", [1, 16, 21])
def test_younger_than_leaves_out_unknown_dates_of_birth_and_those_of_that_age(age):
    day = D(2024, 2, 29)
    turning = ExpertFactory(date_of_birth=years_before(day, age))
    younger = ExpertFactory(date_of_birth=years_before(day, age) + ONE_DAY)
    ExpertFactory(date_of_birth=None)
    assert list(Expert.objects.younger_than(age, on=day)) == [younger]
    assert turning.age_on(day) == age


def _sixteen_years_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 16)
    except ValueError:  # 29 February, 16 years before a non-leap year
        return datetime.date(day.year - 16, 3, 1)


@pytest.mark.parametrize(
    "today",
    [
        datetime.date(2025, 6, 15),
        datetime.date(2024, 2, 28),
        datetime.date(2024, 2, 29),
        datetime.date(2025, 2, 28),
        datetime.date(2025, 3, 1),
        # 16 years before is 2100, which has no 29 February.
        datetime.date(2116, 2, 29),
    ],
)
def test_needing_parental_consent_agrees_with_age_on_around_birthdays(today):
    experts = []
    for delta in range(-3, 4):
        for base in (_sixteen_years_before(today), datetime.date(today.year - 16, 2, 28)):
            experts.append(ExpertFactory(date_of_birth=base + datetime.timedelta(days=delta)))
    experts.append(ExpertFactory(date_of_birth=None))

    under_16 = set(Expert.objects.needing_parental_consent(on=today))

    expected = {e for e in experts if e.date_of_birth and e.age_on(today) < 16}
    assert under_16 == expected
    assert expected  # the fixture has people on both sides of the line
    assert len(expected) < len(experts) - 1


@DB_EXAMPLES
@given(
    born=st.dates(min_value=D(1995, 1, 1), max_value=D(2024, 12, 31)),
    day=st.dates(min_value=D(2020, 1, 1), max_value=D(2032, 12, 31)),
    age=st.sampled_from([13, 16, 21]),
)
def test_python_and_sql_forms_of_the_age_agree(born, day, age):
    expert = ExpertFactory(date_of_birth=born)
    in_sql = Expert.objects.younger_than(age, on=day).filter(pk=expert.pk).exists()
    assert in_sql == (expert.age_on(day) < age)


# --- Under 16: a parent's or guardian's consent to take part --------------------------------


def child(**kwargs) -> Expert:
    return ExpertFactory(date_of_birth=FIFTEEN, **kwargs)


# (who gave it, for what, given on, withdrawn on, still missing on DAY)
PARENTAL_CASES = [
    pytest.param(None, None, None, None, True, id="no-consent"),
    pytest.param(ConsentGiver.SELF, ConsentPurpose.PARTICIPATION, DAY, None, True, id="own"),
    pytest.param(ConsentGiver.PARENT, ConsentPurpose.PARTICIPATION, DAY, None, False, id="parent"),
    pytest.param(
        ConsentGiver.GUARDIAN, ConsentPurpose.PARTICIPATION, DAY, None, False, id="guardian"
    ),
    pytest.param(
        ConsentGiver.PARENT, ConsentPurpose.PHOTOS, DAY, None, True, id="parent-other-purpose"
    ),
    pytest.param(
        ConsentGiver.PARENT,
        ConsentPurpose.PARTICIPATION,
        DAY + ONE_DAY,
        None,
        True,
        id="parent-given-the-day-after",
    ),
    pytest.param(
        ConsentGiver.PARENT,
        ConsentPurpose.PARTICIPATION,
        DAY - ONE_DAY,
        DAY,
        True,
        id="parent-withdrawn-on-the-day",
    ),
    pytest.param(
        ConsentGiver.PARENT,
        ConsentPurpose.PARTICIPATION,
        DAY - ONE_DAY,
        DAY + ONE_DAY,
        False,
        id="parent-withdrawn-the-day-after",
    ),
]


@pytest.mark.parametrize(("by", "purpose", "given_on", "withdrawn_on", "missing"), PARENTAL_CASES)
def test_under_16_a_parents_or_guardians_consent_to_take_part_must_be_in_force(
    by, purpose, given_on, withdrawn_on, missing
):
    expert = child()
    other = child()  # without consent: always missing, never counted for the expert
    if by is not None:
        consent(
            expert,
            by=by,
            purpose=purpose,
            given_at=at(given_on),
            withdrawn_at=None if withdrawn_on is None else at(withdrawn_on),
        )
    missing_sql = set(Expert.objects.missing_parental_consent(on=DAY))
    assert missing_sql == ({expert, other} if missing else {other})
    assert expert.is_missing_parental_consent(on=DAY) is missing
    may_take_part = set(Expert.objects.with_consent_to_take_part(on=DAY))
    assert may_take_part == (set() if missing else {expert})


def test_another_childs_parental_consent_does_not_count():
    expert, sibling = child(), child()
    consent(sibling, by=ConsentGiver.PARENT, given_at=at(DAY))
    assert expert.is_missing_parental_consent(on=DAY) is True
    assert sibling.is_missing_parental_consent(on=DAY) is False


@pytest.mark.parametrize("born", [SIXTEEN, None], ids=["sixteen", "date-of-birth-unknown"])
def test_from_16_or_with_an_unknown_age_no_parents_consent_is_missing(born):
    expert = ExpertFactory(date_of_birth=born)
    assert expert.is_missing_parental_consent(on=DAY) is False
    assert not Expert.objects.missing_parental_consent(on=DAY).exists()


def test_on_the_16th_birthday_the_own_consent_is_enough():
    birthday = D(2026, 1, 10)  # FIFTEEN turns 16
    expert = child()
    consent(expert, by=ConsentGiver.SELF, given_at=at(DAY))
    assert expert.is_missing_parental_consent(on=birthday - ONE_DAY) is True
    assert expert.is_missing_parental_consent(on=birthday) is False
    assert not Expert.objects.with_consent_to_take_part(on=birthday - ONE_DAY).exists()
    assert list(Expert.objects.with_consent_to_take_part(on=birthday)) == [expert]


# (who gave it, for what, given on, withdrawn on, may take part on DAY)
OWN_CONSENT_CASES = [
    pytest.param(None, None, None, None, False, id="no-consent"),
    pytest.param(ConsentGiver.SELF, ConsentPurpose.PARTICIPATION, DAY, None, True, id="own"),
    pytest.param(ConsentGiver.PARENT, ConsentPurpose.PARTICIPATION, DAY, None, True, id="parent"),
    pytest.param(ConsentGiver.SELF, ConsentPurpose.CONTACT, DAY, None, False, id="other-purpose"),
    pytest.param(
        ConsentGiver.SELF,
        ConsentPurpose.PARTICIPATION,
        DAY + ONE_DAY,
        None,
        False,
        id="given-the-day-after",
    ),
    pytest.param(
        ConsentGiver.SELF,
        ConsentPurpose.PARTICIPATION,
        DAY - ONE_DAY,
        DAY,
        False,
        id="withdrawn-on-the-day",
    ),
]


@pytest.mark.parametrize(("by", "purpose", "given_on", "withdrawn_on", "may"), OWN_CONSENT_CASES)
def test_from_16_a_consent_to_take_part_in_force_is_needed(
    by, purpose, given_on, withdrawn_on, may
):
    expert = ExpertFactory(date_of_birth=SIXTEEN)
    if by is not None:
        consent(
            expert,
            by=by,
            purpose=purpose,
            given_at=at(given_on),
            withdrawn_at=None if withdrawn_on is None else at(withdrawn_on),
        )
    assert Expert.objects.with_consent_to_take_part(on=DAY).filter(pk=expert.pk).exists() is may


def test_with_consent_to_take_part_keeps_only_the_experts_asked_about():
    adult = ExpertFactory(date_of_birth=SIXTEEN)
    consent(adult, given_at=at(DAY))
    other = ExpertFactory(date_of_birth=SIXTEEN)
    consent(other, given_at=at(DAY))
    chosen = Expert.objects.filter(pk=adult.pk).with_consent_to_take_part(on=DAY)
    assert list(chosen) == [adult]


# (what was recorded, withdrew consent to take part by DAY and has none in force)
WITHDRAWN_CASES = [
    pytest.param([], False, id="never-gave-one"),
    pytest.param([{"given_at": at(DAY - 9 * ONE_DAY)}], False, id="in-force"),
    pytest.param(
        [{"given_at": at(DAY - 9 * ONE_DAY), "withdrawn_at": at(DAY - ONE_DAY)}],
        True,
        id="withdrawn",
    ),
    pytest.param(
        [{"given_at": at(DAY - 9 * ONE_DAY), "withdrawn_at": at(DAY)}],
        True,
        id="withdrawn-on-the-day",
    ),
    pytest.param(
        [{"given_at": at(DAY - 9 * ONE_DAY), "withdrawn_at": at(DAY + ONE_DAY)}],
        False,
        id="withdrawn-the-day-after",
    ),
    pytest.param(
        [
            {"given_at": at(DAY - 9 * ONE_DAY), "withdrawn_at": at(DAY - 5 * ONE_DAY)},
            {"given_at": at(DAY - 2 * ONE_DAY)},
        ],
        False,
        id="withdrawn-and-given-again",
    ),
    pytest.param(
        [
            {
                "purpose": ConsentPurpose.PHOTOS,
                "given_at": at(DAY - 9 * ONE_DAY),
                "withdrawn_at": at(DAY - ONE_DAY),
            }
        ],
        False,
        id="another-purpose-withdrawn",
    ),
]


@pytest.mark.parametrize(("consents", "withdrawn"), WITHDRAWN_CASES)
def test_withdrew_consent_to_take_part_when_withdrawn_by_the_day_and_not_given_again(
    consents, withdrawn
):
    expert, other = ExpertFactory(), ExpertFactory()
    consent(other, given_at=at(DAY - 9 * ONE_DAY), withdrawn_at=at(DAY - ONE_DAY))
    for fields in consents:
        consent(expert, **fields)
    assert set(Expert.objects.with_consent_to_take_part_withdrawn(on=DAY)) == (
        {expert, other} if withdrawn else {other}
    )
    assert expert.withdrew_consent_to_take_part(on=DAY) is withdrawn
    # Withdrawn and never given again means: may not take part.
    if withdrawn:
        assert expert.may_take_part(on=DAY) is False


def test_a_child_whose_parent_withdrew_has_withdrawn_even_with_an_own_consent():
    expert = child()
    consent(expert, by=ConsentGiver.SELF, given_at=at(DAY - 9 * ONE_DAY))
    consent(
        expert,
        by=ConsentGiver.PARENT,
        given_at=at(DAY - 9 * ONE_DAY),
        withdrawn_at=at(DAY - ONE_DAY),
    )
    assert expert.withdrew_consent_to_take_part(on=DAY) is True
    assert expert.may_take_part(on=DAY) is False


def test_withdrawn_consents_are_those_withdrawn_by_the_day():
    expert = ExpertFactory()
    before = consent(expert, given_at=at(DAY - 9 * ONE_DAY), withdrawn_at=at(DAY, 23, 30))
    later = consent(
        expert,
        purpose=ConsentPurpose.CONTACT,
        given_at=at(DAY - 9 * ONE_DAY),
        withdrawn_at=at(DAY + ONE_DAY, 0, 30),
    )
    consent(expert, purpose=ConsentPurpose.PHOTOS, given_at=at(DAY - 9 * ONE_DAY))
    assert list(Consent.objects.withdrawn(on=DAY)) == [before]
    assert set(Consent.objects.withdrawn(on=DAY + ONE_DAY)) == {before, later}


# --- Who may be asked --------------------------------------------------------------------


def test_active_is_only_the_active_status():
    experts = {status: ExpertFactory(status=status) for status in ExpertStatus}
    assert list(Expert.objects.active()) == [experts[ExpertStatus.ACTIVE]]


def test_current_are_candidates_active_and_paused_experts():
    experts = {status: ExpertFactory(status=status) for status in ExpertStatus}
    assert set(Expert.objects.current()) == {
        experts[ExpertStatus.CANDIDATE],
        experts[ExpertStatus.ACTIVE],
        experts[ExpertStatus.PAUSED],
    }


def test_available_are_active_experts_with_hours_and_not_on_a_break_that_day():
    def make(**kwargs):
        return ExpertFactory(**{"availability_hours_per_month": Decimal("8"), **kwargs})

    free = make()
    little = make(availability_hours_per_month=Decimal("0.5"))
    back_yesterday = make(paused_until=DAY - ONE_DAY)
    make(availability_hours_per_month=Decimal("0"))
    make(paused_until=DAY)  # the break ends today: still on it
    make(paused_until=DAY + ONE_DAY)
    make(status=ExpertStatus.PAUSED)
    make(status=ExpertStatus.CANDIDATE)
    assert set(Expert.objects.available(on=DAY)) == {free, little, back_yesterday}


@pytest.mark.parametrize(
    ("status", "paused_until", "on_break"),
    [
        pytest.param(ExpertStatus.ACTIVE, None, False, id="no-break"),
        pytest.param(ExpertStatus.ACTIVE, DAY - ONE_DAY, False, id="break-ended-yesterday"),
        pytest.param(ExpertStatus.ACTIVE, DAY, True, id="break-ends-today"),
        pytest.param(ExpertStatus.ACTIVE, DAY + ONE_DAY, True, id="break-ends-tomorrow"),
        pytest.param(ExpertStatus.PAUSED, None, True, id="status-taking-a-break"),
        pytest.param(ExpertStatus.PAUSED, DAY - ONE_DAY, True, id="status-says-so-after-the-date"),
    ],
)
def test_is_on_break_from_the_status_or_a_break_lasting_until_that_day(
    status, paused_until, on_break
):
    assert Expert(status=status, paused_until=paused_until).is_on_break(DAY) is on_break


def test_search_needs_every_word_in_the_name_email_or_place():
    sanne = ExpertFactory(
        first_name="Sanne", last_name="de Vries", email="s.vries@voorbeeld.nl", city="Leiden"
    )
    daan = ExpertFactory(
        first_name="Daan", last_name="Bakker", email="daan@voorbeeld.nl", city="Katwijk"
    )
    assert list(Expert.objects.search("sanne")) == [sanne]
    assert list(Expert.objects.search("BAKKER")) == [daan]
    assert list(Expert.objects.search("s.vries@")) == [sanne]
    assert list(Expert.objects.search("katwijk")) == [daan]
    assert set(Expert.objects.search("voorbeeld")) == {sanne, daan}
    assert list(Expert.objects.search("voorbeeld leiden")) == [sanne]
    assert list(Expert.objects.search("daan leiden")) == []
    assert set(Expert.objects.search("  ")) == {sanne, daan}


# --- The expert as a record -------------------------------------------------------------------


def test_expert_reads_as_the_full_name_and_links_to_the_coordinators_page():
    expert = ExpertFactory(first_name="Sanne", last_name="")
    assert str(expert) == "Sanne"
    assert expert.get_absolute_url() == f"/coordinator/ervaringsdeskundigen/{expert.pk}/"


def test_theme_and_preferred_role_read_as_their_name():
    expert = ExpertFactory()
    theme = Theme.objects.create(name="Pleegzorg")
    role = ExpertPreferredRole.objects.create(expert=expert, role=ExpertRole.EDUCATION)
    assert str(theme) == "Pleegzorg"
    assert str(role) == str(ExpertRole.EDUCATION.label)


# What leads see of an expert's contact details --------------------------------------------


def _contact_for_leads(expert: Expert, day: datetime.date) -> tuple[str, str]:
    row = Expert.objects.with_contact_for_leads(on=day).get(pk=expert.pk)
    return row.email_for_leads, row.phone_for_leads


@pytest.mark.parametrize(
    ("share_email", "share_phone", "consent", "seen"),
    [
        # What the expert chose to share, while the consent to share is in force.
        (True, True, "in force", ("deel@samen.test", "0612345678")),
        (True, False, "in force", ("deel@samen.test", "")),
        (False, True, "in force", ("", "0612345678")),
        (False, False, "in force", ("", "")),
        # The choice alone is not enough.
        (True, True, None, ("", "")),
        (True, True, "withdrawn that day", ("", "")),
        (True, True, "given the day after", ("", "")),
        # Another purpose does not count.
        (True, True, "for taking part", ("", "")),
    ],
)
def test_leads_see_shared_contact_details_only_while_the_consent_to_share_is_in_force(
    share_email, share_phone, consent, seen
):
    expert = ExpertFactory(
        email="deel@samen.test",
        phone="0612345678",
        share_email_with_leads=share_email,
        share_phone_with_leads=share_phone,
    )
    sharing = ConsentPurpose.SHARING
    if consent == "in force":
        ConsentFactory(expert=expert, purpose=sharing, given_at=at(DAY - ONE_DAY))
    elif consent == "withdrawn that day":
        ConsentFactory(
            expert=expert, purpose=sharing, given_at=at(DAY - ONE_DAY), withdrawn_at=at(DAY, 9)
        )
    elif consent == "given the day after":
        ConsentFactory(expert=expert, purpose=sharing, given_at=at(DAY + ONE_DAY))
    elif consent == "for taking part":
        ConsentFactory(expert=expert, purpose=ConsentPurpose.PARTICIPATION, given_at=at(DAY))

    assert _contact_for_leads(expert, DAY) == seen


def test_waiting_for_parent_is_missing_a_parents_consent_after_asking_one():
    asked = ExpertFactory(date_of_birth=FIFTEEN)
    ParentalConsentRequestFactory(expert=asked)
    replaced_only = ExpertFactory(date_of_birth=FIFTEEN)
    ParentalConsentRequestFactory(expert=replaced_only, replaced_at=at(DAY))
    ExpertFactory(date_of_birth=FIFTEEN)  # never asked
    consented = ExpertFactory(date_of_birth=FIFTEEN)
    ParentalConsentRequestFactory(expert=consented)
    ConsentFactory(
        expert=consented, given_by=ConsentGiver.PARENT, given_by_name="Mama", given_at=at(DAY)
    )
    sixteen = ExpertFactory(date_of_birth=SIXTEEN)
    ParentalConsentRequestFactory(expert=sixteen)

    assert set(Expert.objects.waiting_for_parent(on=DAY)) == {asked}
