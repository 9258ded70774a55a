"""The coordinator's consent pages: who may open them, recording a paper consent with its scan,
recording a withdrawal, and the scan that only a coordinator can download."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from experts.models import Consent, ConsentGiver, ConsentMethod, ExpertKind
from tests.factories import ConsentFactory, ExpertFactory, UserFactory

VISITORS = ["anonymous", "expert", "lead", "coordinator", "admin"]
ALLOWED = {"anonymous": 302, "expert": 403, "lead": 403, "coordinator": 200, "admin": 200}
PDF = b"%PDF-1.7\n%%EOF\n"


def dutch(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


@pytest.fixture
def child(db):
    return ExpertFactory(
        first_name="Sem", last_name="de Vries", date_of_birth=datetime.date(2013, 5, 1)
    )


@pytest.fixture
def consent_with_scan(child):
    consent = ConsentFactory(
        expert=child, given_by=ConsentGiver.PARENT, given_by_name="Anja de Vries"
    )
    consent.scan.save("scan.pdf", ContentFile(PDF))
    return consent


def _form(**overrides) -> dict:
    return {
        "purpose": "participation",
        "given_by": "parent",
        "given_by_name": "Anja de Vries",
        "method": "paper",
        "given_on": timezone.localdate().isoformat(),
        "notes": "",
    } | overrides


# Access --------------------------------------------------------------------------------------


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
@pytest.mark.parametrize("url_name", ["consent_create", "consent_withdraw", "consent_scan"])
def test_consent_pages_are_for_coordinators_and_admins_only(visitor, url_name, consent_with_scan):
    name, client = visitor
    pk = consent_with_scan.expert_id if url_name == "consent_create" else consent_with_scan.pk
    response = client.get(reverse(f"coordinator:{url_name}", args=[pk]))
    assert response.status_code == ALLOWED[name], (name, url_name, response.status_code)
    if name == "anonymous":
        assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("visitor", ["anonymous", "expert", "lead"], indirect=True)
def test_only_a_coordinator_can_record_or_withdraw_a_consent(visitor, child):
    _name, client = visitor
    consent = ConsentFactory(expert=child, given_by="parent", given_by_name="Anja")
    client.post(reverse("coordinator:consent_create", args=[child.pk]), _form(purpose="photos"))
    client.post(
        reverse("coordinator:consent_withdraw", args=[consent.pk]),
        {"withdrawn_on": timezone.localdate().isoformat()},
    )
    assert list(Consent.objects.all()) == [consent]
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


@pytest.mark.parametrize("url_name", ["consent_create", "consent_withdraw", "consent_scan"])
def test_an_unknown_id_is_404(coordinator_client, url_name):
    response = coordinator_client.get(reverse(f"coordinator:{url_name}", args=[999999]))
    assert response.status_code == 404


# Recording -----------------------------------------------------------------------------------


def test_the_form_starts_from_paper_today_and_a_parent_for_an_under_16(coordinator_client, child):
    response = coordinator_client.get(reverse("coordinator:consent_create", args=[child.pk]))
    form = response.context["form"]
    assert form["given_by"].value() == ConsentGiver.PARENT
    assert form["method"].value() == ConsentMethod.PAPER
    assert form["given_on"].value() == timezone.localdate()
    # Online is the expert's own way in; the coordinator records the other three.
    assert ConsentMethod.ONLINE not in dict(form.fields["method"].choices)
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_a_paper_consent_with_its_scan_is_recorded_by_the_coordinator(
    coordinator_client, coordinator, child
):
    someone_else = UserFactory()
    response = coordinator_client.post(
        reverse("coordinator:consent_create", args=[child.pk]),
        _form(
            scan=SimpleUploadedFile("formulier.pdf", PDF, content_type="application/pdf"),
            notes="Getekend op de ouderavond.",
            recorded_by=someone_else.pk,  # not a field: who records is who is logged in
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("coordinator:expert_detail", args=[child.pk])
    consent = Consent.objects.get()
    assert consent.recorded_by == coordinator
    assert (consent.given_by, consent.given_by_name, consent.method) == (
        "parent",
        "Anja de Vries",
        "paper",
    )
    assert consent.notes == "Getekend op de ouderavond."
    assert (Path(settings.SAMEN_PRIVATE_MEDIA_ROOT) / consent.scan.name).read_bytes() == PDF
    assert not child.is_missing_parental_consent(on=timezone.localdate())

    page = coordinator_client.get(response["Location"]).content.decode()
    assert reverse("coordinator:consent_scan", args=[consent.pk]) in page
    assert reverse("coordinator:consent_withdraw", args=[consent.pk]) in page
    assert consent.scan.name not in page  # the stored name never reaches a page


def test_a_refused_consent_keeps_what_was_filled_in_and_says_why_next_to_the_field(
    coordinator_client, child
):
    with translation.override("nl"):
        response = coordinator_client.post(
            reverse("coordinator:consent_create", args=[child.pk]),
            _form(
                given_by_name="",
                notes="Via de school.",
                scan=SimpleUploadedFile("formulier.pdf", PDF),
            ),
            HTTP_ACCEPT_LANGUAGE="nl",
        )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["given_by_name"] == [dutch("Write the name of the parent or guardian.")]
    # The chosen file cannot come back with the page: the form says to choose it again.
    assert form.errors["scan"] == [dutch("Choose the file again.")]
    body = response.content.decode()
    assert escape(dutch("Write the name of the parent or guardian.")) in body
    assert "Via de school." in body
    assert not Consent.objects.exists()


def test_a_scan_that_is_not_a_pdf_or_image_is_refused_on_the_field(coordinator_client, child):
    response = coordinator_client.post(
        reverse("coordinator:consent_create", args=[child.pk]),
        _form(scan=SimpleUploadedFile("formulier.pdf", b"MZ\x90\x00 not a pdf")),
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["scan"]
    assert not Consent.objects.exists()


def test_the_purpose_can_be_chosen_in_the_link(coordinator_client, child):
    url = reverse("coordinator:consent_create", args=[child.pk])
    assert (
        coordinator_client.get(url, {"purpose": "photos"}).context["form"]["purpose"].value()
        == "photos"
    )
    assert (
        coordinator_client.get(url, {"purpose": "x"}).context["form"]["purpose"].value()
        == "participation"
    )


# Withdrawal ----------------------------------------------------------------------------------


def test_a_withdrawal_is_recorded_and_the_consent_no_longer_counts(coordinator_client, coordinator):
    parent = ExpertFactory(kind=ExpertKind.PARENT)
    consent = ConsentFactory(expert=parent, given_at=timezone.now() - datetime.timedelta(days=30))
    url = reverse("coordinator:consent_withdraw", args=[consent.pk])

    response = coordinator_client.post(url, {"withdrawn_on": timezone.localdate().isoformat()})

    assert response["Location"] == reverse("coordinator:expert_detail", args=[parent.pk])
    consent.refresh_from_db()
    assert not consent.in_force
    assert consent.history.latest().history_user == coordinator
    page = coordinator_client.get(url).content.decode()
    assert 'name="withdrawn_on"' not in page  # nothing left to withdraw


@pytest.mark.parametrize(
    ("purpose", "says"),
    [
        (
            "participation",
            [
                "Sem de Vries kan niet meer aan een leernetwerk gekoppeld worden",
                "Leernetwerktrekkers zien Sem de Vries niet meer",
                "krijgt geen e-mails of herinneringen meer",
                "Toestemming om mee te doen ingetrokken, nog gekoppeld",
            ],
        ),
        ("special_data", ["Haal ze weg uit het profiel van Sem de Vries."]),
        ("contact", ["Vraag Sem de Vries niet meer voor nieuwe vragen."]),
        ("photos", ["Gebruik geen foto's of opnames van Sem de Vries meer."]),
    ],
)
def test_the_withdrawal_page_says_what_withdrawing_does_in_dutch(
    coordinator_client, child, purpose, says
):
    consent = ConsentFactory(
        expert=child, purpose=purpose, given_by=ConsentGiver.PARENT, given_by_name="Anja"
    )

    with translation.override("nl"):
        response = coordinator_client.get(
            reverse("coordinator:consent_withdraw", args=[consent.pk]), HTTP_ACCEPT_LANGUAGE="nl"
        )

    page = response.content.decode()
    assert "Wat er dan gebeurt" in page
    for text in says:
        assert escape(text) in page, text


def test_a_withdrawal_before_the_consent_was_given_is_refused_on_the_date(coordinator_client):
    consent = ConsentFactory(given_at=timezone.now() - datetime.timedelta(days=2))
    response = coordinator_client.post(
        reverse("coordinator:consent_withdraw", args=[consent.pk]),
        {"withdrawn_on": (timezone.localdate() - datetime.timedelta(days=5)).isoformat()},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["withdrawn_on"]
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


# The scan ------------------------------------------------------------------------------------


def test_the_scan_is_a_private_download(coordinator_client, consent_with_scan):
    response = coordinator_client.get(
        reverse("coordinator:consent_scan", args=[consent_with_scan.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Sem" not in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_consent_without_a_scan_or_with_a_lost_file_answers_404(coordinator_client, child):
    without = ConsentFactory(expert=child, given_by="parent", given_by_name="Anja")
    url = reverse("coordinator:consent_scan", args=[without.pk])
    assert coordinator_client.get(url).status_code == 404

    lost = ConsentFactory(expert=child, purpose="photos", given_by="parent", given_by_name="Anja")
    lost.scan.name = "consents/0/gone.pdf"
    lost.save()
    url = reverse("coordinator:consent_scan", args=[lost.pk])
    assert coordinator_client.get(url).status_code == 404
