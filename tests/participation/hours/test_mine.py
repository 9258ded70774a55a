"""The expert's own hours (``/mijn/uren/``): log hours with a receipt, see each entry's state,
change or take back while it waits, totals against the hours given, bad input refused in
Dutch with nothing stored, the same form sent twice stored once, and no way into another
expert's hours or receipts."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from participation.hours import services
from participation.models import ActivityLog, ActivityStatus, ExpertMonth
from tests.factories import (
    ActivityLogFactory,
    MatchFactory,
    MeetingFactory,
    PlacementFactory,
    RequestFactory,
)

D = Decimal
PDF = b"%PDF-1.7\n1 0 obj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 40


@pytest.fixture
def placement(expert, network):
    return PlacementFactory(
        expert=expert,
        network=network,
        status="active",
        starts_on=timezone.localdate() - datetime.timedelta(days=60),
    )


@pytest.fixture
def other_log(other_expert):
    log = ActivityLogFactory(expert=other_expert, hours=D("3"))
    log.receipt.save("receipt.pdf", ContentFile(PDF))
    return log


def _post(client, placement, **changes):
    data = {
        "date": timezone.localdate().isoformat(),
        "target": f"placement:{placement.pk}",
        "kind": "meeting",
        "hours": "2,5",
        "travel_costs": "12,40",
        "description": "Voorbereiding",
        **changes,
    }
    return client.post(reverse("expert:my_hours_create"), data)


def test_an_expert_logs_hours_with_a_receipt(expert_client, expert, placement):
    receipt = SimpleUploadedFile("bon.pdf", PDF, content_type="application/pdf")
    response = _post(expert_client, placement, receipt=receipt)

    assert response.status_code == 302
    assert response["Location"] == reverse("expert:my_hours")
    log = ActivityLog.objects.get(expert=expert)
    assert (log.hours, log.travel_costs, log.placement) == (D("2.5"), D("12.40"), placement)
    assert log.status == ActivityStatus.SUBMITTED
    assert log.receipt.name.startswith(f"receipts/{expert.pk}/")
    assert log.receipt.name.endswith(".pdf")
    assert "bon" not in log.receipt.name
    # The monthly sums follow at once.
    assert ExpertMonth.objects.get(expert=expert).waiting_hours == D("2.5")
    download = expert_client.get(reverse("expert:my_hours_receipt", args=[log.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content) == PDF


def test_the_receipt_has_no_public_url(expert, placement):
    log = ActivityLogFactory(expert=expert, placement=placement)
    log.receipt.save("receipt.png", ContentFile(PNG))
    with pytest.raises(ValueError, match="no URL"):
        log.receipt.url  # noqa: B018


def test_the_coordinator_opens_a_receipt(coordinator_client, other_log):
    response = coordinator_client.get(reverse("coordinator:activity_receipt", args=[other_log.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_the_coordinators_list_links_the_receipt(coordinator_client, other_log):
    response = coordinator_client.get(reverse("coordinator:activity_waiting"))
    assert reverse("coordinator:activity_receipt", args=[other_log.pk]) in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"hours": "-1"}, "hours", "Uren kunnen niet minder dan 0 zijn."),
        ({"hours": "30"}, "hours", "Een dag heeft 24 uur. Vul hooguit 24 uur in."),
        ({"hours": "", "travel_costs": ""}, "hours", "Vul de uren in, de reiskosten of allebei."),
        ({"travel_costs": "-3"}, "travel_costs", "Reiskosten kunnen niet minder dan 0 zijn."),
        ({"hours": "veel"}, "hours", "Schrijf een getal, bijvoorbeeld 2,5."),
        (
            {"date": "2099-01-01"},
            "date",
            "Deze dag is nog niet geweest. Schrijf je uren op de dag zelf of later.",
        ),
        ({"target": "placement:999999"}, "target", None),
    ],
)
def test_bad_input_gets_a_dutch_message_and_stores_nothing(
    expert_client, placement, changes, field, message
):
    response = _post(expert_client, placement, **changes)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    if message:
        assert message in response.context["form"].errors[field]
    assert not ActivityLog.objects.exists()


def test_a_day_before_the_placement_started_is_refused(expert_client, placement):
    before = placement.starts_on - datetime.timedelta(days=1)
    response = _post(expert_client, placement, date=before.isoformat())

    errors = response.context["form"].errors["date"]
    assert errors[0].startswith("Je koppeling begon op ")
    assert not ActivityLog.objects.exists()


def test_another_experts_placement_cannot_be_chosen(expert_client, other_expert, other_network):
    theirs = PlacementFactory(expert=other_expert, network=other_network, status="active")
    response = _post(expert_client, theirs)

    assert "target" in response.context["form"].errors
    assert not ActivityLog.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        # A text file behind a right extension: the content decides.
        ("bon.pdf", b"<script>alert(1)</script>", "Het bonnetje moet een foto"),
        ("bon.jpg", b"MZ\x90\x00 not a photo", "Het bonnetje moet een foto"),
    ],
)
def test_a_wrong_file_behind_a_right_extension_is_refused(
    expert_client, placement, name, content, message
):
    receipt = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = _post(expert_client, placement, receipt=receipt)

    assert message in response.context["form"].errors["receipt"][0]
    assert not ActivityLog.objects.exists()


def test_a_too_large_receipt_is_refused(expert_client, expert, placement, settings):
    settings.SAMEN_RECEIPT_MAX_BYTES = 1024
    receipt = SimpleUploadedFile("bon.pdf", PDF + b"0" * 2048, content_type="application/pdf")
    response = _post(expert_client, placement, receipt=receipt)

    assert "groter dan" in response.context["form"].errors["receipt"][0]
    assert not ActivityLog.objects.exists()
    assert not (settings.SAMEN_PRIVATE_MEDIA_ROOT / "receipts" / str(expert.pk)).exists()


def test_a_twenty_megabyte_upload_is_refused_by_the_default_limit(expert_client, placement):
    receipt = SimpleUploadedFile("bon.pdf", PDF + b"0" * (20 * 1024 * 1024))
    response = _post(expert_client, placement, receipt=receipt)

    assert "receipt" in response.context["form"].errors
    assert not ActivityLog.objects.exists()


def test_script_tags_are_stored_as_written_and_shown_escaped(expert_client, expert, placement):
    text = "<script>alert('x')</script> gastles"
    _post(expert_client, placement, description=text)

    assert ActivityLog.objects.get(expert=expert).description == text
    page = expert_client.get(reverse("expert:my_hours")).content.decode()
    assert "<script>alert(" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; gastles" in page


def test_sending_the_form_twice_stores_the_hours_once(expert_client, expert, placement):
    first = _post(expert_client, placement)
    second = _post(expert_client, placement)

    assert first.status_code == second.status_code == 302
    assert ActivityLog.objects.filter(expert=expert).count() == 1
    assert ExpertMonth.objects.get(expert=expert).waiting_hours == D("2.5")


def test_the_same_hours_a_minute_later_are_a_new_entry(expert, placement, expert_user):
    fields = {
        "date": timezone.localdate(),
        "kind": "meeting",
        "hours": D("2"),
        "travel_costs": D("0"),
        "description": "",
        "placement": placement,
        "match": None,
        "meeting": None,
    }
    first, new = services.activity_log_submit(expert=expert, by=expert_user, **fields)
    assert new
    ActivityLog.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=2)
    )
    second, new = services.activity_log_submit(expert=expert, by=expert_user, **fields)
    assert new and second.pk != first.pk


def test_each_state_in_words_with_the_reason(expert_client, expert, placement, coordinator):
    waiting = ActivityLogFactory(expert=expert, placement=placement, description="wacht")
    rejected = ActivityLogFactory(expert=expert, placement=placement, description="afgewezen")
    services.activity_log_set_status(
        log=rejected, status=ActivityStatus.REJECTED, by=coordinator, reason="Dubbel geschreven"
    )
    approved = ActivityLogFactory(expert=expert, placement=placement, description="goed")
    services.activity_log_set_status(log=approved, status=ActivityStatus.APPROVED, by=coordinator)

    page = expert_client.get(reverse("expert:my_hours")).content.decode()

    assert "Wacht op goedkeuring" in page
    assert "Goedgekeurd" in page
    assert "Niet goedgekeurd" in page
    assert "Waarom: Dubbel geschreven" in page
    # Only what still waits can be changed or taken back.
    assert reverse("expert:my_hours_edit", args=[waiting.pk]) in page
    assert reverse("expert:my_hours_edit", args=[approved.pk]) not in page
    assert reverse("expert:my_hours_withdraw", args=[rejected.pk]) not in page


def test_totals_of_the_week_month_and_year_against_the_hours_given(
    expert_client, expert, placement, coordinator
):
    expert.availability_hours_per_month = D("10")
    expert.save()
    today = timezone.localdate()
    ActivityLogFactory(expert=expert, placement=placement, date=today, hours=D("3"))
    not_counting = ActivityLogFactory(expert=expert, placement=placement, date=today, hours=D("5"))
    services.activity_log_set_status(
        log=not_counting, status=ActivityStatus.REJECTED, by=coordinator
    )

    totals = expert_client.get(reverse("expert:my_hours")).context["totals"]

    assert totals["week"]["hours"] == totals["month"]["hours"] == D("3")
    assert totals["year"]["hours"] >= D("3")
    assert totals["month"]["available"] == D("10")
    assert totals["year"]["available"] == D("120")
    assert totals["week"]["available"] == D("2.3")


def test_an_expert_changes_hours_while_they_wait(expert_client, expert, placement):
    log = ActivityLogFactory(expert=expert, placement=placement, hours=D("2"))
    url = reverse("expert:my_hours_edit", args=[log.pk])
    assert expert_client.get(url).status_code == 200
    response = expert_client.post(
        url,
        {
            "date": log.date.isoformat(),
            "target": f"placement:{placement.pk}",
            "kind": "prep",
            "hours": "4",
            "travel_costs": "",
            "description": "Langer dan gedacht",
            "receipt": SimpleUploadedFile("bon.png", PNG),
        },
    )

    assert response.status_code == 302
    log.refresh_from_db()
    assert (log.hours, log.kind, log.description) == (D("4"), "prep", "Langer dan gedacht")
    assert log.receipt.name.endswith(".png")
    assert ExpertMonth.objects.get(expert=expert).waiting_hours == D("4")


def test_approved_hours_cannot_be_changed_or_taken_back(
    expert_client, expert, placement, coordinator
):
    log = ActivityLogFactory(expert=expert, placement=placement, hours=D("2"))
    services.activity_log_set_status(log=log, status=ActivityStatus.APPROVED, by=coordinator)
    for name in ["expert:my_hours_edit", "expert:my_hours_withdraw"]:
        response = expert_client.post(reverse(name, args=[log.pk]), {"hours": "9"})
        assert response.status_code == 302
    log.refresh_from_db()
    assert (log.hours, log.status) == (D("2"), ActivityStatus.APPROVED)
    with pytest.raises(services.ValidationError):
        services.activity_log_withdraw(log=log, by=None)


def test_an_expert_takes_back_hours_with_their_receipt(
    expert_client, expert, placement, django_capture_on_commit_callbacks
):
    log = ActivityLogFactory(expert=expert, placement=placement, hours=D("2"))
    log.receipt.save("receipt.pdf", ContentFile(PDF))
    storage, name = log.receipt.storage, log.receipt.name
    url = reverse("expert:my_hours_withdraw", args=[log.pk])
    assert expert_client.get(url).status_code == 200

    assert storage.exists(name)  # nothing deleted on a GET

    with django_capture_on_commit_callbacks(execute=True):
        response = expert_client.post(url)

    assert response.status_code == 302
    assert not ActivityLog.objects.filter(pk=log.pk).exists()
    assert not storage.exists(name)
    assert not ExpertMonth.objects.filter(expert=expert).exists()


def test_a_confirmed_request_and_a_meeting_of_my_network_can_be_chosen(
    expert_client, expert, placement, network, other_network
):
    match = MatchFactory(
        request=RequestFactory(network=network, organisation=None),
        expert=expert,
        status="confirmed",
        expert_confirmed_at=timezone.now(),
        requester_confirmed_at=timezone.now(),
    )
    mine = MeetingFactory(network=network, starts_at=timezone.now() - datetime.timedelta(days=2))
    theirs = MeetingFactory(
        network=other_network, starts_at=timezone.now() - datetime.timedelta(days=2)
    )

    choices = dict(
        option
        for _group, options in expert_client.get(reverse("expert:my_hours_create"))
        .context["form"]
        .fields["target"]
        .choices[1:]
        for option in options
    )

    assert f"match:{match.pk}" in choices
    assert f"meeting:{mine.pk}" in choices
    assert f"meeting:{theirs.pk}" not in choices
    assert f"placement:{placement.pk}" in choices


# Access: every new URL, for the five visitors and for another expert's ids.

EXPERT_URLS = [
    "expert:my_hours",
    "expert:my_hours_create",
]
EXPERT_OBJECT_URLS = [
    "expert:my_hours_edit",
    "expert:my_hours_withdraw",
    "expert:my_hours_receipt",
]


@pytest.mark.parametrize(
    "visitor", ["anonymous", "expert", "lead", "coordinator", "admin"], indirect=True
)
@pytest.mark.parametrize("name", EXPERT_URLS + EXPERT_OBJECT_URLS)
def test_the_expert_pages_are_for_experts(visitor, name, expert, placement):
    who, client = visitor
    log = ActivityLogFactory(expert=expert, placement=placement)
    log.receipt.save("receipt.pdf", ContentFile(PDF))
    url = reverse(name, args=[log.pk] if name in EXPERT_OBJECT_URLS else [])
    response = client.get(url)
    if who == "anonymous":
        assert response.status_code == 302
        assert "login" in response["Location"]
    elif who == "expert":
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize(
    ("name", "method"),
    [(name, "get") for name in EXPERT_OBJECT_URLS]
    + [(name, "post") for name in EXPERT_OBJECT_URLS if not name.endswith("receipt")],
)
def test_another_experts_entry_is_404(expert_client, other_log, name, method):
    response = getattr(expert_client, method)(reverse(name, args=[other_log.pk]))
    assert response.status_code == 404
    other_log.refresh_from_db()
    assert other_log.hours == D("3")


@pytest.mark.parametrize(
    ("visitor", "expected"),
    [("anonymous", 302), ("expert", 403), ("lead", 403), ("coordinator", 200), ("admin", 200)],
    indirect=["visitor"],
)
def test_the_coordinators_receipt_page(visitor, expected, other_log):
    _who, client = visitor
    response = client.get(reverse("coordinator:activity_receipt", args=[other_log.pk]))
    assert response.status_code == expected


def test_a_log_without_a_receipt_has_no_download(expert_client, coordinator_client, expert):
    log = ActivityLogFactory(expert=expert)
    assert expert_client.get(reverse("expert:my_hours_receipt", args=[log.pk])).status_code == 404
    response = coordinator_client.get(reverse("coordinator:activity_receipt", args=[log.pk]))
    assert response.status_code == 404


def test_an_expert_account_without_a_profile_gets_404(client, db):
    from samen.accounts.models import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(role=Role.EXPERT))
    assert client.get(reverse("expert:my_hours")).status_code == 404


def test_the_list_does_not_grow_in_queries(
    expert_client, expert, placement, network, django_assert_max_num_queries
):
    match = MatchFactory(request=RequestFactory(network=network, organisation=None), expert=expert)
    meeting = MeetingFactory(network=network)
    for i in range(30):
        link = [{"placement": placement}, {"match": match}, {"meeting": meeting}][i % 3]
        ActivityLogFactory(expert=expert, date=timezone.localdate(), **link)
    with django_assert_max_num_queries(12):
        response = expert_client.get(reverse("expert:my_hours"))
    assert len(response.context["page"].object_list) == 25


def test_the_home_page_links_to_my_hours(expert_client):
    page = expert_client.get(reverse("expert:home")).content.decode()
    assert reverse("expert:my_hours") in page


def test_the_admin_shows_a_receipt_as_a_link_to_the_checked_download(client, admin, other_log):
    client.force_login(admin)
    response = client.get(reverse("admin:participation_activitylog_change", args=[other_log.pk]))
    assert response.status_code == 200
    assert reverse("coordinator:activity_receipt", args=[other_log.pk]) in response.content.decode()
    history = client.get(reverse("admin:participation_activitylog_history", args=[other_log.pk]))
    assert history.status_code == 200
    version = other_log.history.latest()
    old = client.get(
        reverse(
            "admin:participation_activitylog_simple_history",
            args=[other_log.pk, version.history_id],
        )
    )
    assert old.status_code == 200
