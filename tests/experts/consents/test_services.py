"""Recording a consent and its withdrawal: the rules the services keep for every door, and
the scan that is stored privately."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from experts.consents.services import consent_record, consent_withdraw, scan_kind
from experts.models import Consent, ConsentGiver, ConsentMethod, Expert, ExpertKind
from tests.factories import ConsentFactory, ExpertFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _record(expert: Expert, **overrides) -> Consent:
    kwargs = {
        "expert": expert,
        "purpose": "participation",
        "method": ConsentMethod.PAPER,
        "given_on": TODAY,
        "recorded_by": None,
        "today": TODAY,
    } | overrides
    return consent_record(**kwargs)


def _errors(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


@pytest.fixture
def child():
    return ExpertFactory(first_name="Sem", date_of_birth=datetime.date(2012, 5, 1))


@pytest.fixture
def parent():
    return ExpertFactory(
        first_name="Petra", kind=ExpertKind.PARENT, date_of_birth=datetime.date(1981, 3, 2)
    )


def test_a_parents_paper_consent_for_an_under_16_counts_as_parental(child, coordinator):
    assert child.is_missing_parental_consent(on=TODAY)

    consent = _record(
        child,
        given_by=ConsentGiver.PARENT,
        given_by_name="  Anja de Moeder ",
        given_on=TODAY - datetime.timedelta(days=3),
        recorded_by=coordinator,
        notes="Formulier ondertekend op de ouderavond.",
    )

    consent.refresh_from_db()
    assert consent.is_parental
    assert consent.given_by_name == "Anja de Moeder"
    assert consent.method == ConsentMethod.PAPER
    assert consent.recorded_by == coordinator
    assert timezone.localdate(consent.given_at) == TODAY - datetime.timedelta(days=3)
    assert consent.in_force_on(TODAY)
    assert not child.is_missing_parental_consent(on=TODAY)
    assert Expert.objects.with_consent_to_take_part(on=TODAY).filter(pk=child.pk).exists()
    assert consent.history.get().history_user == coordinator


def test_a_consent_given_today_counts_today_and_one_given_before_counts_from_that_day(parent):
    today = timezone.localdate()
    given_today = _record(parent, given_on=today, today=today)
    earlier = _record(
        parent, purpose="contact", given_on=today - datetime.timedelta(days=30), today=today
    )
    assert given_today.in_force_on(today)
    assert earlier.in_force_on(today - datetime.timedelta(days=30))
    assert not earlier.in_force_on(today - datetime.timedelta(days=31))


def test_the_expert_gives_their_own_consent_without_a_name(parent):
    consent = _record(parent, given_by=ConsentGiver.SELF, given_by_name="Petra")
    assert consent.given_by_name == ""
    assert not consent.is_parental


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"given_on": TODAY + datetime.timedelta(days=1)}, "given_on", "in the future"),
        ({"given_by": ConsentGiver.SELF}, "given_by", "under 16"),
        ({"given_by": ConsentGiver.GUARDIAN, "given_by_name": "  "}, "given_by_name", "name"),
        ({"given_by": ConsentGiver.PARENT, "method": ""}, "method", "how"),
    ],
)
def test_what_the_service_refuses_is_said_per_field_and_nothing_is_saved(
    child, overrides, field, message
):
    with pytest.raises(ValidationError) as excinfo:
        _record(child, **({"given_by_name": "Anja"} | overrides))
    assert message in " ".join(_errors(excinfo)[field])
    assert not Consent.objects.exists()


def test_the_age_that_counts_is_the_age_on_the_day_it_was_given():
    # 16 on 1 March: a consent she gave herself on that day counts, the day before it cannot.
    expert = ExpertFactory(date_of_birth=datetime.date(2010, 3, 1))
    with pytest.raises(ValidationError):
        _record(expert, given_on=datetime.date(2026, 2, 28))
    assert _record(expert, given_on=datetime.date(2026, 3, 1)).given_by == ConsentGiver.SELF


def test_a_second_consent_for_the_same_purpose_waits_for_the_withdrawal_of_the_first(parent):
    first = _record(parent, given_on=TODAY - datetime.timedelta(days=10))

    with pytest.raises(ValidationError) as excinfo:
        _record(parent)
    assert "10 March 2026" not in _errors(excinfo)["purpose"][0]
    assert "28 February 2026" in _errors(excinfo)["purpose"][0]
    # Another purpose is another consent.
    _record(parent, purpose="photos")

    consent_withdraw(consent=first, withdrawn_on=TODAY, withdrawn_by=None, today=TODAY)
    assert _record(parent).in_force_on(TODAY)


# Withdrawal ----------------------------------------------------------------------------------


def test_a_withdrawn_consent_no_longer_counts_from_that_day(parent, coordinator):
    consent = _record(parent, given_on=TODAY - datetime.timedelta(days=20))

    consent_withdraw(
        consent=consent,
        withdrawn_on=TODAY - datetime.timedelta(days=2),
        withdrawn_by=coordinator,
        today=TODAY,
    )

    consent.refresh_from_db()
    assert timezone.localdate(consent.withdrawn_at) == TODAY - datetime.timedelta(days=2)
    assert consent.in_force_on(TODAY - datetime.timedelta(days=3))
    assert not consent.in_force_on(TODAY - datetime.timedelta(days=2))
    assert not Expert.objects.with_consent_to_take_part(on=TODAY).filter(pk=parent.pk).exists()
    assert consent.history.latest().history_user == coordinator
    assert consent.history.count() == 2  # given, then withdrawn: both kept


def test_a_consent_can_be_withdrawn_on_the_day_it_was_given(parent):
    today = timezone.localdate()
    consent = _record(parent, given_on=today, today=today)
    consent_withdraw(consent=consent, withdrawn_on=today, withdrawn_by=None, today=today)
    consent.refresh_from_db()
    assert consent.withdrawn_at >= consent.given_at
    assert not consent.in_force_on(today)


def test_online_consent_given_later_that_day_is_withdrawn_after_it_was_given(parent):
    given_at = timezone.make_aware(datetime.datetime(2026, 3, 5, 14, 30))
    consent = ConsentFactory(expert=parent, given_at=given_at, method=ConsentMethod.ONLINE)
    consent_withdraw(
        consent=consent, withdrawn_on=datetime.date(2026, 3, 5), withdrawn_by=None, today=TODAY
    )
    consent.refresh_from_db()
    assert consent.withdrawn_at == given_at


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (TODAY + datetime.timedelta(days=1), "in the future"),
        (TODAY - datetime.timedelta(days=6), "5 March 2026"),
    ],
)
def test_a_withdrawal_lies_between_the_consent_and_today(parent, day, message):
    consent = _record(parent, given_on=datetime.date(2026, 3, 5))
    with pytest.raises(ValidationError) as excinfo:
        consent_withdraw(consent=consent, withdrawn_on=day, withdrawn_by=None, today=TODAY)
    assert message in _errors(excinfo)["withdrawn_on"][0]
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_a_consent_is_withdrawn_once(parent):
    consent = _record(parent, given_on=datetime.date(2026, 3, 5))
    consent_withdraw(consent=consent, withdrawn_on=TODAY, withdrawn_by=None, today=TODAY)
    with pytest.raises(ValidationError, match="already withdrawn"):
        consent_withdraw(consent=consent, withdrawn_on=TODAY, withdrawn_by=None, today=TODAY)


# The scan ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "extension"), [(PDF, ".pdf"), (PNG, ".png"), (JPEG, ".jpg"), (b"PK\x03\x04", None)]
)
def test_a_scan_is_recognised_by_its_content(content, extension):
    file = SimpleUploadedFile("toestemming.pdf", content)
    assert scan_kind(file) == extension
    assert file.tell() == 0


def test_the_scan_is_stored_privately_under_a_name_that_says_nothing_about_the_person(child):
    upload = SimpleUploadedFile(
        "Toestemming Sem de Vries.PNG", PDF, content_type="image/png"
    )  # the name and the browser are wrong: the content decides
    consent = _record(child, given_by=ConsentGiver.PARENT, given_by_name="Anja", scan=upload)

    consent.refresh_from_db()
    name = consent.scan.name
    assert name.startswith(f"consents/{child.pk}/") and name.endswith(".pdf")
    assert "Sem" not in name and "Vries" not in name
    stored = Path(settings.SAMEN_PRIVATE_MEDIA_ROOT) / name
    assert stored.read_bytes() == PDF
    assert not stored.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    with pytest.raises(ValueError, match="no URL"):
        _ = consent.scan.url


def test_a_scan_that_is_not_a_pdf_or_image_is_refused(child):
    upload = SimpleUploadedFile("toestemming.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError) as excinfo:
        _record(child, given_by=ConsentGiver.PARENT, given_by_name="Anja", scan=upload)
    assert "PDF, JPG or PNG" in _errors(excinfo)["scan"][0]
    assert not Consent.objects.exists()


def test_a_scan_that_is_too_large_is_refused(child, settings):
    settings.SAMEN_CONSENT_SCAN_MAX_BYTES = 1024
    upload = SimpleUploadedFile("toestemming.pdf", PDF + b"0" * 1024)
    with pytest.raises(ValidationError) as excinfo:
        _record(child, given_by=ConsentGiver.PARENT, given_by_name="Anja", scan=upload)
    assert "1,0" in _errors(excinfo)["scan"][0] or "1.0" in _errors(excinfo)["scan"][0]
    assert not Consent.objects.exists()
