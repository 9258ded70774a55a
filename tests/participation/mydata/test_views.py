"""The expert's page of their own data (``/mijn/gegevens/``) and the coordinator's pages to
answer erasure requests (``/coordinator/wissen/``): who may open each, another expert's
download is 404, bad input gets a Dutch message, sending twice does no harm, and the queries
do not grow with the rows."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from experts.models import Expert, ExpertStatus
from participation.models import (
    DataExport,
    DataExportState,
    ErasureRequest,
    ErasureState,
    ExportKind,
    ExportLog,
)
from participation.mydata import services
from tests.factories import ExpertFactory

from .conftest import ready_export

VISITORS = ["anonymous", "expert", "lead", "coordinator", "admin"]
ONLY = {
    "expert": {"anonymous": 302, "expert": 200, "lead": 403, "coordinator": 403, "admin": 403},
    "coordinator": {
        "anonymous": 302,
        "expert": 403,
        "lead": 403,
        "coordinator": 200,
        "admin": 200,
    },
}


def _dutch(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# Who may open what ---------------------------------------------------------------------------


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
@pytest.mark.parametrize(
    ("name", "door"),
    [("expert:my_data", "expert"), ("expert:my_data_erasure", "expert")],
)
def test_the_expert_pages_are_for_experts(visitor, name, door, expert):
    who, client = visitor
    response = client.get(reverse(name))
    assert response.status_code == ONLY[door][who]
    if who == "anonymous":
        assert "login" in response["Location"]


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
def test_the_download_is_for_its_expert_only(visitor, expert):
    who, client = visitor
    export = ready_export(expert)
    response = client.get(reverse("expert:my_data_download", args=[export.pk]))
    assert response.status_code == ONLY["expert"][who]


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
@pytest.mark.parametrize("name", ["expert:my_data_export", "expert:my_data_erasure_cancel"])
def test_the_expert_posts_are_for_experts(visitor, name, expert):
    who, client = visitor
    assert client.get(reverse(name)).status_code == 405
    response = client.post(reverse(name))
    assert response.status_code == {"anonymous": 302, "expert": 302}.get(who, 403)
    if who == "expert":
        assert response["Location"] == reverse("expert:my_data")


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
@pytest.mark.parametrize("name", ["coordinator:erasure_list", "coordinator:erasure_detail"])
def test_the_coordinators_pages_are_for_coordinators(visitor, name, other_expert):
    who, client = visitor
    erasure = ErasureRequest.objects.create(expert=other_expert)
    args = [erasure.pk] if name.endswith("detail") else []
    assert client.get(reverse(name, args=args)).status_code == ONLY["coordinator"][who]


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
@pytest.mark.parametrize("name", ["coordinator:erasure_confirm", "coordinator:erasure_refuse"])
def test_only_a_coordinator_answers_a_request(visitor, name, other_expert):
    who, client = visitor
    erasure = ErasureRequest.objects.create(expert=other_expert)
    url = reverse(name, args=[erasure.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"checked": "on", "reason": "Nog even wachten."})
    expected = {"anonymous": 302, "coordinator": 302, "admin": 302}.get(who, 403)
    assert response.status_code == expected
    erasure.refresh_from_db()
    if who in {"coordinator", "admin"}:
        assert erasure.state != ErasureState.WAITING
    else:
        assert erasure.state == ErasureState.WAITING


def test_another_experts_download_is_404(expert_client, other_expert):
    export = ready_export(other_expert)
    response = expert_client.get(reverse("expert:my_data_download", args=[export.pk]))
    assert response.status_code == 404
    assert not ExportLog.objects.exists()


def test_an_unknown_request_is_404_for_the_coordinator(coordinator_client):
    for name in ["coordinator:erasure_detail"]:
        assert coordinator_client.get(reverse(name, args=[999999])).status_code == 404
    for name in ["coordinator:erasure_confirm", "coordinator:erasure_refuse"]:
        assert coordinator_client.post(reverse(name, args=[999999])).status_code == 404


def test_an_expert_account_without_a_profile(client, db):
    from samen.accounts.models import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(role=Role.EXPERT))
    assert client.get(reverse("expert:my_data")).status_code == 200
    assert client.post(reverse("expert:my_data_export")).status_code == 404
    assert client.get(reverse("expert:my_data_erasure")).status_code == 404


# Downloads -----------------------------------------------------------------------------------


def test_an_expert_asks_for_a_download_and_downloads_it(
    expert_client, expert, expert_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = expert_client.post(reverse("expert:my_data_export"), follow=True)
    assert _dutch("Your download is being made. This takes a minute. We will also e-mail you.") in (
        _messages(response)
    )
    export = DataExport.objects.get(expert=expert)
    assert export.state == DataExportState.READY
    link = reverse("expert:my_data_download", args=[export.pk])
    assert link in expert_client.get(reverse("expert:my_data")).content.decode()
    assert len(mail.outbox) == 1

    response = expert_client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"PK")
    (log,) = ExportLog.objects.all()
    assert (log.user, log.kind, log.rows) == (expert_user, ExportKind.OWN_DATA, export.rows)


def test_sending_the_form_twice_makes_one_download(expert_client, expert):
    expert_client.post(reverse("expert:my_data_export"))
    expert_client.post(reverse("expert:my_data_export"))
    assert DataExport.objects.filter(expert=expert).count() == 1


def test_while_it_is_made_the_page_asks_again_with_htmx(expert_client, expert):
    DataExport.objects.create(expert=expert)
    page = expert_client.get(reverse("expert:my_data")).content.decode()
    assert 'hx-trigger="every 3s"' in page
    assert _dutch("Look again") in page  # without JavaScript
    part = expert_client.get(reverse("expert:my_data"), HTTP_HX_REQUEST="true")
    assert part.status_code == 200
    assert "<html" not in part.content.decode()
    assert 'id="downloads"' in part.content.decode()


def test_a_ready_download_stops_the_asking(expert_client, expert):
    ready_export(expert)
    page = expert_client.get(reverse("expert:my_data")).content.decode()
    assert "hx-trigger" not in page


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (DataExportState.QUEUED, "This download is not ready."),
        (DataExportState.EXPIRED, "This download has expired. Ask for a new one."),
    ],
)
def test_a_download_that_is_not_ready_says_so(expert_client, expert, state, message):
    if state == DataExportState.EXPIRED:
        export = ready_export(expert, expires_at=timezone.now() - datetime.timedelta(minutes=1))
    else:
        export = DataExport.objects.create(expert=expert, state=state)
    response = expert_client.get(reverse("expert:my_data_download", args=[export.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("expert:my_data")
    assert _dutch(message) in _messages(response)
    assert not ExportLog.objects.exists()


def test_the_page_shows_each_state_in_words(expert_client, expert):
    ready_export(expert, expires_at=timezone.now() - datetime.timedelta(days=1))
    DataExport.objects.create(expert=expert, state=DataExportState.FAILED)
    page = expert_client.get(reverse("expert:my_data")).content.decode()
    assert _dutch("The file is deleted. Ask for a new one if you need it.") in page
    assert _dutch("Something went wrong. Try again, or ask the coordinator.") in page


def test_the_page_does_not_grow_in_queries(expert_client, expert, django_assert_max_num_queries):
    for _ in range(20):
        ready_export(expert)
    ErasureRequest.objects.create(expert=expert)
    # Framework (2): session, user. Ours (3): the expert, their newest downloads, their
    # latest erasure request.
    with django_assert_max_num_queries(5):
        response = expert_client.get(reverse("expert:my_data"))
    assert len(response.context["downloads"]) == 5


def test_home_and_menu_link_to_my_data(expert_client):
    page = expert_client.get(reverse("expert:home")).content.decode()
    assert page.count(f'href="{reverse("expert:my_data")}"') == 2  # the menu and the page


# Asking for erasure --------------------------------------------------------------------------


def test_the_erasure_page_says_what_is_deleted_and_kept(expert_client):
    page = expert_client.get(reverse("expert:my_data_erasure")).content.decode()
    assert _dutch("What we delete") in page
    assert _dutch("What we keep") in page
    assert _dutch("Cancel") in page


def test_asking_without_the_tick_gets_a_dutch_message_and_sends_nothing(expert_client, expert):
    response = expert_client.post(reverse("expert:my_data_erasure"), {})
    assert response.status_code == 400
    assert _dutch("Tick the box to say you understand this.") in response.content.decode()
    assert not ErasureRequest.objects.exists()


def test_an_expert_asks_for_erasure_once_and_can_take_it_back(expert_client, expert):
    url = reverse("expert:my_data_erasure")
    response = expert_client.post(url, {"understood": "on"}, follow=True)
    assert _dutch("Your request is sent. The coordinator checks it and then erases your data.") in (
        _messages(response)
    )
    assert _dutch("Take back my request") in response.content.decode()
    expert_client.post(url, {"understood": "on"})
    assert ErasureRequest.objects.filter(expert=expert).count() == 1
    assert expert_client.get(url).status_code == 302  # already asked: back to the page

    response = expert_client.post(reverse("expert:my_data_erasure_cancel"), follow=True)
    assert _dutch("Your request is taken back. Nothing is erased.") in _messages(response)
    assert ErasureRequest.objects.get(expert=expert).state == ErasureState.CANCELLED


def test_a_refused_request_shows_the_reason_to_the_expert(expert_client, expert, coordinator):
    erasure = services.erasure_request_create(expert=expert)
    services.erasure_refuse(erasure=erasure, by=coordinator, reason="<b>Eerst</b> de betaling.")
    page = expert_client.get(reverse("expert:my_data")).content.decode()
    assert "&lt;b&gt;Eerst&lt;/b&gt; de betaling." in page
    assert _dutch("Ask to erase my data") in page  # asking again is possible


# The coordinator -----------------------------------------------------------------------------


def test_the_coordinator_erases_after_ticking_the_box(
    coordinator_client, everything, django_capture_on_commit_callbacks
):
    erasure = ErasureRequest.objects.get(expert=everything.expert)
    detail = reverse("coordinator:erasure_detail", args=[erasure.pk])
    page = coordinator_client.get(detail)
    assert "Zwaantje" in page.content.decode()
    parts = {part.name: (part.deleted, part.kept) for part in page.context["parts"]}
    payments = str(everything.expert.payments.model._meta.verbose_name_plural)
    assert parts[payments] == (0, 1)

    confirm = reverse("coordinator:erasure_confirm", args=[erasure.pk])
    response = coordinator_client.post(confirm, {})
    assert response.status_code == 400
    assert _dutch("Tick the box to say you checked this.") in response.content.decode()
    assert Expert.objects.get(pk=everything.expert.pk).first_name == "Zwaantje"

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(confirm, {"checked": "on"}, follow=True)
    assert _dutch("The data is erased. The person gets a last e-mail.") in _messages(response)
    assert Expert.objects.get(pk=everything.expert.pk).status == ExpertStatus.ERASED
    assert len(mail.outbox) == 1
    # A second click (or a second coordinator) changes nothing and sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(confirm, {"checked": "on"})
    assert len(mail.outbox) == 1
    assert "Zwaantje" not in coordinator_client.get(detail).content.decode()
    assert (
        "Zwaantje"
        not in coordinator_client.get(reverse("coordinator:erasure_list")).content.decode()
    )


def test_the_coordinator_refuses_with_a_reason(coordinator_client, expert):
    erasure = services.erasure_request_create(expert=expert)
    url = reverse("coordinator:erasure_refuse", args=[erasure.pk])
    response = coordinator_client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert _dutch("Say why, so the expert knows what to do.") in response.content.decode()
    response = coordinator_client.post(url, {"reason": "Er staat nog een betaling open."})
    assert response.status_code == 302
    erasure.refresh_from_db()
    assert (erasure.state, erasure.refusal_reason) == (
        ErasureState.REFUSED,
        "Er staat nog een betaling open.",
    )
    response = coordinator_client.post(url, {"reason": "Nogmaals."}, follow=True)
    assert any(
        _dutch("This request was answered already: %(state)s.").split(":")[0] in message
        for message in _messages(response)
    )


def test_the_dashboard_signals_waiting_requests(coordinator_client, expert, other_expert):
    services.erasure_request_create(expert=expert)
    services.erasure_request_create(expert=other_expert)
    services.erasure_request_cancel(expert=other_expert)
    response = coordinator_client.get(reverse("coordinator:dashboard"))
    signal = next(s for s in response.context["signals"] if s["key"] == "erasure_requests")
    assert signal["count"] == 1
    assert signal["url"] == reverse("coordinator:erasure_list")


def test_the_list_does_not_grow_in_queries(coordinator_client, django_assert_max_num_queries):
    def add(count: int) -> None:
        for _ in range(count):
            erasure = services.erasure_request_create(expert=ExpertFactory())
        services.erasure_request_cancel(expert=erasure.expert)

    add(3)
    # Framework (2): session, user. Ours (2): the waiting requests with their expert, the
    # answered ones with expert and coordinator.
    with django_assert_max_num_queries(4):
        coordinator_client.get(reverse("coordinator:erasure_list"))
    add(30)
    with django_assert_max_num_queries(4):
        response = coordinator_client.get(reverse("coordinator:erasure_list"))
    assert len(response.context["waiting"]) == 2 + 29


def test_the_request_page_does_not_grow_in_queries_with_the_rows(
    coordinator_client, expert, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ActivityLogFactory, ConsentFactory

    erasure = services.erasure_request_create(expert=expert)
    url = reverse("coordinator:erasure_detail", args=[erasure.pk])
    ActivityLogFactory(expert=expert)
    with CaptureQueriesContext(connection) as few:
        coordinator_client.get(url)
    for _ in range(15):
        ActivityLogFactory(expert=expert)
        ConsentFactory(
            expert=expert,
            purpose="photos",
            given_at=timezone.now() - datetime.timedelta(days=2),
            withdrawn_at=timezone.now() - datetime.timedelta(days=1),
        )
    with CaptureQueriesContext(connection) as many:
        coordinator_client.get(url)
    # A query or two per model of the registry, whatever the rows.
    assert len(many) == len(few)


def test_the_button_waits_while_a_download_is_made_and_comes_back_when_it_is_ready(
    expert_client, expert
):
    export = DataExport.objects.create(expert=expert)
    part = expert_client.get(reverse("expert:my_data"), HTTP_HX_REQUEST="true")
    assert "disabled" in part.content.decode()
    DataExport.objects.filter(pk=export.pk).delete()
    ready_export(expert)
    part = expert_client.get(reverse("expert:my_data"), HTTP_HX_REQUEST="true")
    assert "disabled" not in part.content.decode()
    assert reverse("expert:my_data_export") in part.content.decode()
