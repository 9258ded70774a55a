"""The expert's own profile (``/mijn/profiel/``): who may open each page, another expert's away
periods (404), each part's form with good and bad input (Dutch messages, nothing stored, text
shown escaped), the preview of what leads see drawn by the lead's own partial, the history of
who changed the sharing choices, query counts that do not grow, and the coordinator's form
that keeps working beside it."""

import datetime
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from experts.models import AvailableTime, AwayPeriod, Expert, ExpertPreferredRole, ExpertSupportNeed
from samen.accounts.models import Role
from tests.factories import (
    ConsentFactory,
    ExpertFactory,
    PlacementFactory,
    ThemeFactory,
    UserFactory,
)

VISITORS = ["anonymous", "expert", "lead", "coordinator", "admin"]
OTHER_DOOR = {"anonymous": 302, "lead": 403, "coordinator": 403, "admin": 403}
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
PAGES = [
    "expert:profile",
    "expert:profile_contact",
    "expert:profile_availability",
    "expert:away_create",
    "expert:profile_themes",
    "expert:profile_growth",
    "expert:profile_sharing",
]
PERIOD_PAGES = ["expert:away_edit", "expert:away_delete"]


def _dutch(message: str) -> str:
    with translation.override("nl"):
        return escape(gettext(message))


@pytest.fixture
def period(expert):
    return AwayPeriod.objects.create(expert=expert, starts_on=TODAY + DAY, ends_on=TODAY + 5 * DAY)


@pytest.fixture
def other_period(other_expert):
    return AwayPeriod.objects.create(
        expert=other_expert, starts_on=TODAY + DAY, ends_on=TODAY + 9 * DAY
    )


def _contact(**changes) -> dict:
    return {
        "email": "expex@samen.test",
        "phone": "",
        "city": "",
        "channels": ["email"],
        "preferred_channel": "email",
        **changes,
    }


def _availability(**changes) -> dict:
    return {
        "availability_hours_per_month": "8",
        "meeting_mode": "either",
        "availability_notes": "",
        **changes,
    }


# --- Access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
@pytest.mark.parametrize("name", PAGES + PERIOD_PAGES)
def test_only_the_expert_opens_their_profile_pages(visitor, name, period):
    who, client = visitor
    url = reverse(name, args=[period.pk] if name in PERIOD_PAGES else [])
    for method in (client.get, client.post):
        response = method(url)
        if who == "expert":
            # An empty POST is a form with errors (200) or, for removing, done (302); the
            # overview only reads.
            expected = {405} if (name, method) == ("expert:profile", client.post) else {200, 302}
            assert response.status_code in expected, (name, response.status_code)
        else:
            assert response.status_code == OTHER_DOOR[who], (who, name, response.status_code)
        if who == "anonymous":
            assert "login" in response["Location"]


@pytest.mark.parametrize("name", PAGES)
def test_an_expert_account_without_a_profile_gets_404(client, db, name):
    client.force_login(UserFactory(role=Role.EXPERT))
    assert client.get(reverse(name)).status_code == 404


@pytest.mark.parametrize("name", PERIOD_PAGES)
def test_another_experts_away_period_is_404_and_stays(expert_client, other_period, name):
    url = reverse(name, args=[other_period.pk])
    assert expert_client.get(url).status_code == 404
    response = expert_client.post(
        url, {"starts_on": TODAY.isoformat(), "ends_on": TODAY.isoformat()}
    )
    assert response.status_code == 404
    other_period.refresh_from_db()
    assert other_period.ends_on == TODAY + 9 * DAY


def test_the_overview_never_lists_another_experts_data(expert_client, other_expert, other_period):
    other_expert.goals = "Geheim doel van Otto"
    other_expert.save()
    body = expert_client.get(reverse("expert:profile")).content.decode()
    assert "Geheim doel van Otto" not in body
    assert reverse("expert:away_edit", args=[other_period.pk]) not in body


# --- Contact -----------------------------------------------------------------------------------


def test_the_expert_chooses_how_to_be_reached(expert_client, expert):
    response = expert_client.post(
        reverse("expert:profile_contact"),
        _contact(
            phone="06 12345678", city="Leiden", channels=["email", "chat"], preferred_channel="chat"
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("expert:profile")
    expert.refresh_from_db()
    assert (expert.phone, expert.city, expert.preferred_channel) == (
        "06 12345678",
        "Leiden",
        "chat",
    )
    assert expert.contact_channels == ["email", "chat"]


def test_removing_every_way_to_be_reached_is_refused_in_dutch(expert_client, expert):
    response = expert_client.post(
        reverse("expert:profile_contact"), _contact(channels=[], phone="06 12345678")
    )
    assert response.status_code == 200
    assert _dutch("Choose at least one way to reach you.") in response.content.decode()
    expert.refresh_from_db()
    assert (expert.contact_channels, expert.phone) == (["email"], "")


def test_a_phone_way_without_a_number_and_a_wrong_number_are_refused(expert_client, expert):
    response = expert_client.post(
        reverse("expert:profile_contact"), _contact(channels=["text"], preferred_channel="text")
    )
    assert _dutch("Fill in your phone number, or choose e-mail only.") in response.content.decode()
    response = expert_client.post(reverse("expert:profile_contact"), _contact(phone="bel me maar"))
    assert (
        _dutch("Write a phone number with digits only, for example 06 12345678.")
        in response.content.decode()
    )
    expert.refresh_from_db()
    assert (expert.contact_channels, expert.phone) == (["email"], "")


# --- Time and away periods ---------------------------------------------------------------------


def test_the_expert_gives_hours_days_and_online_or_on_site(expert_client, expert):
    response = expert_client.post(
        reverse("expert:profile_availability"),
        _availability(
            availability_hours_per_month="6,5",
            meeting_mode="online",
            day_0=["evening"],
            day_3=["morning", "evening"],
            availability_notes="Niet in de schoolvakanties",
        ),
    )
    assert response.status_code == 302
    expert.refresh_from_db()
    assert str(expert.availability_hours_per_month) == "6.5"
    assert expert.meeting_mode == "online"
    assert set(expert.available_times.values_list("weekday", "part")) == {
        (0, "evening"),
        (3, "morning"),
        (3, "evening"),
    }
    overview = expert_client.get(reverse("expert:profile")).content.decode()
    assert "Niet in de schoolvakanties" in overview


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("-2", "Hours cannot be less than 0."),
        ("200", "Write at most %(hours)s hours a month."),
        ("veel", "Write a number, for example 8 or 2,5."),
    ],
)
def test_wrong_hours_are_refused_in_dutch_and_not_stored(expert_client, expert, hours, message):
    response = expert_client.post(
        reverse("expert:profile_availability"),
        _availability(availability_hours_per_month=hours, day_0=["evening"]),
    )
    assert response.status_code == 200
    with translation.override("nl"):
        expected = escape(gettext(message) % {"hours": 160} if "%" in message else gettext(message))
    assert expected in response.content.decode()
    expert.refresh_from_db()
    assert str(expert.availability_hours_per_month) == "8.0"
    assert not AvailableTime.objects.filter(expert=expert).exists()


def test_the_expert_adds_changes_and_removes_an_away_period(expert_client, expert):
    response = expert_client.post(
        reverse("expert:away_create"),
        {"starts_on": (TODAY + DAY).isoformat(), "ends_on": (TODAY + 3 * DAY).isoformat()},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("expert:profile_availability")
    period = AwayPeriod.objects.get(expert=expert)
    assert not Expert.objects.available(on=TODAY + 2 * DAY).filter(pk=expert.pk).exists()

    page = expert_client.get(reverse("expert:profile_availability")).content.decode()
    assert reverse("expert:away_edit", args=[period.pk]) in page

    response = expert_client.post(
        reverse("expert:away_edit", args=[period.pk]),
        {"starts_on": (TODAY + DAY).isoformat(), "ends_on": (TODAY + 10 * DAY).isoformat()},
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.ends_on == TODAY + 10 * DAY

    assert expert_client.get(reverse("expert:away_delete", args=[period.pk])).status_code == 200
    response = expert_client.post(reverse("expert:away_delete", args=[period.pk]))
    assert response.status_code == 302
    assert not AwayPeriod.objects.filter(expert=expert).exists()


@pytest.mark.parametrize(
    ("starts", "ends", "message"),
    [
        (5, 2, "The last day cannot be before the first day."),
        (-5, -2, "This period is over already. Add only periods still to come."),
        (
            1,
            3000,
            "Choose a last day within two years from today. For a longer break, talk to the "
            "coordinator.",
        ),
    ],
)
def test_a_wrong_away_period_is_refused_in_dutch_and_not_stored(
    expert_client, expert, starts, ends, message
):
    response = expert_client.post(
        reverse("expert:away_create"),
        {
            "starts_on": (TODAY + starts * DAY).isoformat(),
            "ends_on": (TODAY + ends * DAY).isoformat(),
        },
    )
    assert response.status_code == 200
    assert _dutch(message) in response.content.decode()
    assert not AwayPeriod.objects.exists()


def test_a_date_that_is_no_date_is_refused(expert_client):
    response = expert_client.post(
        reverse("expert:away_create"), {"starts_on": "morgen", "ends_on": "2026-02-31"}
    )
    assert response.status_code == 200
    assert (
        _dutch("Write the date as day-month-year, for example 3-2-2026.")
        in response.content.decode()
    )
    assert not AwayPeriod.objects.exists()


def test_the_coordinators_break_is_shown_on_the_page_of_time(expert_client, expert):
    expert.paused_until = TODAY + 20 * DAY
    expert.save()
    page = expert_client.get(reverse("expert:profile_availability"))
    assert page.context["expert"].paused_until == TODAY + 20 * DAY
    assert "alert-info" in page.content.decode()


# --- Themes, wishes ----------------------------------------------------------------------------


def test_the_expert_chooses_their_themes_and_reads_who_sees_them(expert_client, expert):
    themes = [ThemeFactory(name="Scheiding"), ThemeFactory(name="Pleegzorg")]
    page = expert_client.get(reverse("expert:profile_themes")).content.decode()
    # {% translate %} writes the apostrophe as it is.
    assert unescape(_dutch("Who sees your themes?")) in page
    response = expert_client.post(reverse("expert:profile_themes"), {"themes": [themes[0].pk]})
    assert response.status_code == 302
    assert list(expert.themes.all()) == [themes[0]]
    response = expert_client.post(reverse("expert:profile_themes"), {"themes": ["999999"]})
    assert response.status_code == 200
    assert list(expert.themes.all()) == [themes[0]]


def test_wishes_are_saved_and_script_tags_are_shown_escaped(expert_client, expert):
    script = '<script>alert("hoi")</script>'
    response = expert_client.post(
        reverse("expert:profile_growth"),
        {
            "roles": ["education", "advocacy"],
            "goals": f"{script} Leren praten in een groep",
            "support_needs": ["companion", "reading"],
            "support_note": script,
        },
    )
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.goals == f"{script} Leren praten in een groep"
    assert set(
        ExpertPreferredRole.objects.filter(expert=expert).values_list("role", flat=True)
    ) == {
        "education",
        "advocacy",
    }
    assert set(ExpertSupportNeed.objects.filter(expert=expert).values_list("need", flat=True)) == {
        "companion",
        "reading",
    }
    for name in ("expert:profile", "expert:profile_growth"):
        body = expert_client.get(reverse(name)).content.decode()
        assert script not in body
        assert escape(script) in body


def test_a_too_long_wish_is_refused(expert_client, expert):
    response = expert_client.post(reverse("expert:profile_growth"), {"goals": "x" * 1001})
    assert response.status_code == 200
    expert.refresh_from_db()
    assert expert.goals == ""


# --- What leads see ----------------------------------------------------------------------------


def test_sharing_shows_the_preview_drawn_as_the_lead_sees_it(
    expert_client, expert, expert_user, lead_client, network
):
    PlacementFactory(expert=expert, network=network, status="active")
    ConsentFactory(expert=expert, purpose="participation")
    # Leads see contact details only with the consent to share them.
    ConsentFactory(expert=expert, purpose="sharing")
    expert.phone = "06 55555555"
    expert.save()
    response = expert_client.post(
        reverse("expert:profile_sharing"),
        {"bio": "<b>Moeder</b> van twee", "share_email_with_leads": "on"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("expert:profile_sharing")
    latest = expert.history.first()
    assert (latest.history_user, latest.share_email_with_leads) == (expert_user, True)

    preview = expert_client.get(reverse("expert:profile_sharing"))
    lead_page = lead_client.get(reverse("lead:home"))
    for response in (preview, lead_page):
        assert "experts/profiles/_shared_profile.html" in [t.name for t in response.templates]
        body = response.content.decode()
        assert 'href="mailto:expex@samen.test"' in body
        assert "&lt;b&gt;Moeder&lt;/b&gt; van twee" in body
        assert "06 55555555" not in body  # not shared
    assert preview.context["lead_view"].email == "expex@samen.test"


def test_leads_see_nothing_after_the_consent_was_withdrawn_and_the_preview_says_so(
    expert_client, expert
):
    ConsentFactory(
        expert=expert,
        purpose="participation",
        given_at=timezone.now() - datetime.timedelta(days=30),
        withdrawn_at=timezone.now() - datetime.timedelta(hours=1),
    )
    response = expert_client.get(reverse("expert:profile_sharing"))
    assert response.context["lead_view"] is None
    assert (
        _dutch(
            "Network leads see nothing of you now, because the consent to take part was withdrawn."
        )
        in response.content.decode()
    )


def test_the_overview_shows_the_same_preview(expert_client, expert):
    ConsentFactory(expert=expert, purpose="sharing")
    expert.share_email_with_leads = True
    expert.save()
    response = expert_client.get(reverse("expert:profile"))
    assert "experts/profiles/_shared_profile.html" in [t.name for t in response.templates]
    assert response.context["lead_view"].email == expert.email


# --- Query counts, links, and the coordinator's form -------------------------------------------


def test_the_overview_does_not_grow_in_queries(
    expert_client, expert, django_assert_max_num_queries
):
    expert.themes.set(ThemeFactory.create_batch(10))
    for role in ["education", "advocacy", "connecting"]:
        ExpertPreferredRole.objects.create(expert=expert, role=role)
    for need in ["companion", "reading", "language"]:
        ExpertSupportNeed.objects.create(expert=expert, need=need)
    for day in range(7):
        AvailableTime.objects.create(expert=expert, weekday=day, part="evening")
    for n in range(10):
        AwayPeriod.objects.create(
            expert=expert, starts_on=TODAY + n * 10 * DAY, ends_on=TODAY + (n * 10 + 2) * DAY
        )
    # 1 session, 2 user, 3 expert (read once, by the door's check whether a parent's consent
    # is awaited), 4-8 themes, roles, support needs, times, away periods, 9 what a lead sees
    # (one query with the consent rule inside).
    with django_assert_max_num_queries(9):
        response = expert_client.get(reverse("expert:profile"))
    assert len(response.context["expert"].coming_away_periods) == 10
    assert len(response.context["times"]) == 7


def test_the_page_of_time_does_not_grow_in_queries(
    expert_client, expert, django_assert_max_num_queries
):
    for n in range(10):
        AwayPeriod.objects.create(
            expert=expert, starts_on=TODAY + n * 10 * DAY, ends_on=TODAY + (n * 10 + 2) * DAY
        )
    # 1 session, 2 user, 3 expert (see above), 4-8 its prefetched lists.
    with django_assert_max_num_queries(8):
        response = expert_client.get(reverse("expert:profile_availability"))
    assert response.content.decode().count("/wijzigen/") == 10


def test_an_ended_away_period_is_not_listed(expert_client, expert):
    AwayPeriod.objects.create(expert=expert, starts_on=TODAY - 9 * DAY, ends_on=TODAY - DAY)
    response = expert_client.get(reverse("expert:profile"))
    assert response.context["expert"].coming_away_periods == []


def test_the_home_page_and_the_menu_link_to_my_profile(expert_client):
    body = expert_client.get(reverse("expert:home")).content.decode()
    assert body.count(f'href="{reverse("expert:profile")}"') == 2  # the menu and the card


def test_the_coordinators_form_keeps_what_the_expert_told(coordinator_client, expert):
    expert.preferred_channel = "chat"
    expert.contact_by_chat = True
    expert.phone = "06 12345678"
    expert.goals = "Leren praten in een groep"
    expert.save()
    AwayPeriod.objects.create(expert=expert, starts_on=TODAY, ends_on=TODAY + DAY)
    ExpertSupportNeed.objects.create(expert=expert, need="companion")
    response = coordinator_client.post(
        reverse("coordinator:expert_edit", args=[expert.pk]),
        {
            "first_name": expert.first_name,
            "last_name": expert.last_name,
            "email": expert.email,
            "phone": expert.phone,
            "kind": expert.kind,
            "expertise": expert.expertise,
            "status": expert.status,
            "availability_hours_per_month": "12",
            "benefit_situation": expert.benefit_situation,
        },
    )
    assert response.status_code == 302
    expert.refresh_from_db()
    assert str(expert.availability_hours_per_month) == "12.0"
    assert (expert.preferred_channel, expert.contact_by_chat, expert.goals) == (
        "chat",
        True,
        "Leren praten in een groep",
    )
    assert expert.away_periods.count() == 1
    assert expert.support_needs.count() == 1


def test_the_coordinator_sees_what_the_expert_told_on_the_experts_page(coordinator_client, expert):
    expert.preferred_channel = "chat"
    expert.contact_by_chat = True
    expert.goals = "Leren praten in een groep"
    expert.save()
    AwayPeriod.objects.create(expert=expert, starts_on=TODAY + DAY, ends_on=TODAY + 3 * DAY)
    ExpertSupportNeed.objects.create(expert=expert, need="companion")
    AvailableTime.objects.create(expert=expert, weekday=0, part="evening")
    body = coordinator_client.get(
        reverse("coordinator:expert_detail", args=[expert.pk])
    ).content.decode()
    with translation.override("nl"):
        for text in [
            gettext("WhatsApp or another chat app"),
            gettext("Someone to come with me to meetings"),
            "Leren praten in een groep",
        ]:
            assert escape(text) in body, text


def test_an_expert_of_another_account_is_not_changed(expert_client, other_expert):
    expert_client.post(reverse("expert:profile_growth"), {"goals": "Mijn doel"})
    other_expert.refresh_from_db()
    assert other_expert.goals == ""
    assert Expert.objects.get(goals="Mijn doel").user.email == "expex@samen.test"


def test_an_unsaved_expert_is_not_on_a_break():
    assert not ExpertFactory.build().is_on_break(TODAY)
