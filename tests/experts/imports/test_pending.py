"""A file read for the import waits in a ``PendingImport`` of its coordinator, not in the
session: only they open it, and it is gone when the import is confirmed or cancelled, and an
hour after the upload (the pages refuse it at once, a beat job deletes its row)."""

import csv
import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from experts.imports import tasks
from experts.imports.parsing import Mapping
from experts.imports.services import pending_import_remap
from experts.models import Expert, PendingImport
from samen.accounts.models import Role
from samen.celery import app as celery_app
from tests.factories import ExpertFactory, ThemeFactory, UserFactory

UPLOAD = reverse("coordinator:expert_import")
MAPPING = reverse("coordinator:expert_import_mapping")
PREVIEW = reverse("coordinator:expert_import_preview")
CONFIRM = reverse("coordinator:expert_import_confirm")

HEADER = ["voornaam", "achternaam", "e-mail", "soort", "thema's"]
ROWS = [
    ["Mila", "de Vries", "mila@voorbeeld.nl", "ExpEx", "Scheiding"],
    ["Pieter", "Jansen", "pieter@voorbeeld.nl", "ouder", ""],
]


def csv_file(rows=ROWS, header=HEADER, name="deelnemers.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(), content_type="text/csv")


@pytest.fixture(autouse=True)
def _theme(db):
    ThemeFactory(name="Scheiding")


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def carla(coordinator):
    return _client(coordinator)


@pytest.fixture
def other_coordinator(db):
    return UserFactory(email="tweede@samen.test", role=Role.COORDINATOR)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _uploaded_ago(pending: PendingImport, **ago) -> None:
    PendingImport.objects.filter(pk=pending.pk).update(
        created_at=timezone.now() - datetime.timedelta(**ago)
    )


def test_the_rows_wait_in_the_database_not_in_the_session(carla, coordinator):
    response = carla.post(UPLOAD, {"file": csv_file()})
    assert response["Location"] == PREVIEW

    pending = PendingImport.objects.get()
    assert pending.owner == coordinator
    assert pending.filename == "deelnemers.csv"
    assert ["Mila", "de Vries", "mila@voorbeeld.nl", "ExpEx", "Scheiding"] in [
        cells for _number, cells in pending.table["rows"]
    ]
    session = carla.session
    stored = repr(dict(session.items())) + session.encode(dict(session.items()))
    for text in ("mila@voorbeeld.nl", "Mila", "Scheiding", "deelnemers.csv", pending.token):
        assert text not in stored
    assert carla.get(PREVIEW).status_code == 200


def test_a_new_upload_replaces_the_waiting_one(carla):
    carla.post(UPLOAD, {"file": csv_file(name="eerste.csv")})
    first = PendingImport.objects.get()
    carla.post(UPLOAD, {"file": csv_file(name="tweede.csv")})
    second = PendingImport.objects.get()
    assert second.filename == "tweede.csv"
    assert second.token != first.token
    response = carla.post(CONFIRM, {"token": first.token, "action": "import"})
    assert response["Location"] == UPLOAD
    assert not Expert.objects.filter(email="mila@voorbeeld.nl").exists()


def test_a_file_that_cannot_go_in_forgets_the_waiting_one(carla):
    carla.post(UPLOAD, {"file": csv_file()})
    bad = [["Bo", "", "geen-adres", "ExpEx", ""]]
    response = carla.post(UPLOAD, {"file": csv_file(bad)})
    assert response.status_code == 200
    assert not PendingImport.objects.exists()


@pytest.mark.parametrize("other", ["other_coordinator", "admin"])
def test_another_coordinator_never_opens_the_waiting_import(carla, other, request):
    carla.post(UPLOAD, {"file": csv_file()})
    pending = PendingImport.objects.get()
    client = _client(request.getfixturevalue(other))

    for page in (PREVIEW, MAPPING):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"] == UPLOAD
        assert _messages(response)[-1] == "Choose a file to import first."
    # Neither with the token of Carla's preview: nothing is imported, her import still waits.
    response = client.post(CONFIRM, {"token": pending.token, "action": "import"})
    assert response["Location"] == UPLOAD
    response = client.post(CONFIRM, {"token": pending.token, "action": "cancel"})
    assert response["Location"] == UPLOAD
    assert not Expert.objects.filter(email="mila@voorbeeld.nl").exists()
    assert PendingImport.objects.get() == pending
    # Their own upload is theirs; Carla's stays as it was.
    client.post(UPLOAD, {"file": csv_file(name="hun-bestand.csv")})
    assert PendingImport.objects.count() == 2
    assert PendingImport.objects.get(pk=pending.pk).token == pending.token
    assert carla.get(PREVIEW).context["pending"] == pending


def test_confirming_deletes_the_waiting_import(carla):
    carla.post(UPLOAD, {"file": csv_file()})
    token = PendingImport.objects.get().token
    response = carla.post(CONFIRM, {"token": token, "action": "import"})
    assert response["Location"] == reverse("coordinator:expert_list")
    assert Expert.objects.filter(email__endswith="@voorbeeld.nl").count() == 2
    assert not PendingImport.objects.exists()
    # The same post again (a double click) finds nothing to import.
    response = carla.post(CONFIRM, {"token": token, "action": "import"})
    assert response["Location"] == UPLOAD
    assert Expert.objects.filter(email__endswith="@voorbeeld.nl").count() == 2


def test_cancelling_deletes_the_waiting_import(carla):
    carla.post(UPLOAD, {"file": csv_file()})
    token = PendingImport.objects.get().token
    response = carla.post(CONFIRM, {"token": token, "action": "cancel"})
    assert response["Location"] == UPLOAD
    assert not PendingImport.objects.exists()
    assert not Expert.objects.filter(email__endswith="@voorbeeld.nl").exists()


def test_an_import_that_fails_at_confirmation_is_deleted_too(carla):
    carla.post(UPLOAD, {"file": csv_file()})
    token = PendingImport.objects.get().token
    ExpertFactory(email="mila@voorbeeld.nl")
    response = carla.post(CONFIRM, {"token": token, "action": "import"})
    assert response.status_code == 200
    assert response.context["errors"]
    assert not PendingImport.objects.exists()


def test_a_stale_token_leaves_the_waiting_import_alone(carla):
    carla.post(UPLOAD, {"file": csv_file()})
    response = carla.post(CONFIRM, {"token": "oud", "action": "cancel"})
    assert response["Location"] == UPLOAD
    assert PendingImport.objects.exists()


def test_an_import_older_than_an_hour_is_no_longer_opened(carla):
    carla.post(UPLOAD, {"file": csv_file()})
    pending = PendingImport.objects.get()
    _uploaded_ago(pending, minutes=59)
    assert carla.get(PREVIEW).status_code == 200
    _uploaded_ago(pending, minutes=61)
    # Refused before the job has deleted it.
    assert carla.get(PREVIEW)["Location"] == UPLOAD
    response = carla.post(CONFIRM, {"token": pending.token, "action": "import"})
    assert response["Location"] == UPLOAD
    assert not Expert.objects.filter(email="mila@voorbeeld.nl").exists()


def test_a_mapping_for_an_import_that_is_gone_changes_nothing(carla):
    carla.post(UPLOAD, {"file": csv_file()})
    pending = PendingImport.objects.get()
    PendingImport.objects.all().delete()
    assert pending_import_remap(pending=pending, mapping=Mapping()) is False
    assert not PendingImport.objects.exists()


def test_the_job_deletes_imports_older_than_an_hour_and_leaves_newer_ones(
    coordinator, other_coordinator, admin
):
    table = {"header": HEADER, "header_row": 1, "rows": [[2, ROWS[0]]]}
    old = PendingImport.objects.create(owner=coordinator, token="a", filename="a.csv", table=table)
    _uploaded_ago(old, minutes=61)
    just_old = PendingImport.objects.create(owner=admin, token="c", filename="c.csv", table=table)
    _uploaded_ago(just_old, hours=1)
    new = PendingImport.objects.create(
        owner=other_coordinator, token="b", filename="b.csv", table=table
    )
    _uploaded_ago(new, minutes=50)

    assert tasks.pending_imports_delete_expired() == 2
    assert tasks.pending_imports_delete_expired() == 0  # a second run finds nothing
    assert list(PendingImport.objects.all()) == [new]


def test_the_job_is_on_the_beat_schedule():
    celery_app.loader.import_default_modules()
    entries = [
        entry
        for entry in celery_app.conf.beat_schedule.values()
        if entry["task"] == tasks.pending_imports_delete_expired.name
    ]
    assert len(entries) == 1
    assert entries[0]["task"] in celery_app.tasks
    # At least four times an hour: a file is gone soon after its hour.
    assert len(entries[0]["schedule"].minute) >= 4
