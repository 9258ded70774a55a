"""The download of everything Samen holds about an expert: made by a Celery job (eager here),
a ZIP with JSON, a CSV per table and the private files, found by introspection so every model
of the registry is in it; then an e-mail with a link that expires, and a job that deletes the
file when it has."""

import csv
import datetime
import io
import json
import zipfile

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from participation.models import DataExport, DataExportState
from participation.mydata import exports, services, tasks
from participation.mydata.registry import Erase, history_model, personal_data
from tests.factories import ActivityLogFactory, ExpertFactory

from .conftest import ready_export


def _make(expert, django_capture_on_commit_callbacks) -> DataExport:
    with django_capture_on_commit_callbacks(execute=True):
        export = services.data_export_request(expert=expert)
    export.refresh_from_db()
    return export


def _archive(export: DataExport) -> zipfile.ZipFile:
    with export.file.open("rb") as file:
        return zipfile.ZipFile(io.BytesIO(file.read()))


def _json(archive: zipfile.ZipFile) -> dict:
    return json.loads(archive.read(exports.JSON_NAME))


def _csv(archive: zipfile.ZipFile, name: str) -> list[list[str]]:
    text = archive.read(name).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_the_download_holds_every_model_of_the_registry_and_its_history(
    everything, django_capture_on_commit_callbacks
):
    export = _make(everything.expert, django_capture_on_commit_callbacks)
    assert export.state == DataExportState.READY
    archive = _archive(export)
    content = _json(archive)

    expected = set()
    for found in personal_data(everything.expert):
        if found.rule.erase is Erase.NOT_ABOUT:
            continue
        expected.add(found.model._meta.label_lower)
        if (history := history_model(found.model)) is not None:
            expected.add(history._meta.label_lower)
    assert set(content["tables"]) == expected
    names = set(archive.namelist())
    for key, table in content["tables"].items():
        assert f"{exports.CSV_FOLDER}/{key}.csv" in names
        assert table["rows"], f"{key} is empty in the download"
    assert export.rows == sum(len(table["rows"]) for table in content["tables"].values())


def test_the_download_holds_the_receipts_and_scans_as_uploaded(
    everything, django_capture_on_commit_callbacks
):
    export = _make(everything.expert, django_capture_on_commit_callbacks)
    archive = _archive(export)
    copied = {entry["path"] for entry in _json(archive)["files"]}
    for storage, name in everything.files:
        if name.startswith("exports/"):
            continue  # an earlier download is not copied into the next one
        path = f"{exports.FILES_FOLDER}/{name}"
        assert path in copied
        with storage.open(name, "rb") as original:
            assert archive.read(path) == original.read()
    assert not any(path.startswith(f"{exports.FILES_FOLDER}/exports/") for path in copied)


def test_the_coordinators_private_notes_are_in_it_and_keys_are_not(
    everything, django_capture_on_commit_callbacks
):
    """The right of access covers the notes (docs/domain.md); passwords and secret keys are
    not data about the person."""
    content = _json(_archive(_make(everything.expert, django_capture_on_commit_callbacks)))
    (expert_row,) = content["tables"]["experts.expert"]["rows"]
    assert expert_row["private_notes"] == "Zwaantje heeft veel meegemaakt."
    assert expert_row["first_name"] == "Zwaantje"
    (user_row,) = content["tables"]["accounts.user"]["rows"]
    assert "password" not in user_row
    assert "password" in content["tables"]["accounts.user"]["left_out"]
    assert "data" not in content["tables"]["mfa.authenticator"]["rows"][0]
    assert "token" not in content["tables"]["participation.calendarfeed"]["rows"][0]
    assert "session_key" not in content["tables"]["usersessions.usersession"]["rows"][0]
    assert "key" not in content["tables"]["account.emailconfirmation"]["rows"][0]
    # A relation outside the download is named, not only numbered.
    placement = content["tables"]["participation.placement"]["rows"][0]
    assert placement["network__label"]


def test_the_tables_open_in_dutch_excel_and_run_nothing(expert, django_capture_on_commit_callbacks):
    expert.bio = '=HYPERLINK("http://kwaad.example";"klik")'
    expert.save()
    ActivityLogFactory(expert=expert, description="@SUM(1+1)")
    archive = _archive(_make(expert, django_capture_on_commit_callbacks))
    rows = _csv(archive, f"{exports.CSV_FOLDER}/experts.expert.csv")
    header, (row,) = rows[0], rows[1:]
    bio = row[header.index(str(expert._meta.get_field("bio").verbose_name).capitalize())]
    assert bio.startswith("'=HYPERLINK")
    logs = _csv(archive, f"{exports.CSV_FOLDER}/participation.activitylog.csv")
    assert any(cell == "'@SUM(1+1)" for cell in logs[1])
    with translation.override("nl"):
        status = gettext("Waiting for approval")
    assert status in logs[1]  # a choice by its name, as on the pages


def test_another_experts_data_is_not_in_it(expert, django_capture_on_commit_callbacks):
    other = ExpertFactory(first_name="Buurvrouw", last_name="Anders")
    ActivityLogFactory(expert=other, description="Van de buurvrouw")
    archive = _archive(_make(expert, django_capture_on_commit_callbacks))
    everything_in_it = b"".join(archive.read(name) for name in archive.namelist())
    assert b"Buurvrouw" not in everything_in_it
    assert b"buurvrouw" not in everything_in_it


def test_the_zip_says_what_is_in_it(expert, django_capture_on_commit_callbacks):
    archive = _archive(_make(expert, django_capture_on_commit_callbacks))
    with translation.override("nl"):
        readme = archive.read(gettext("README.txt")).decode()
        assert gettext("What is not in it, and why:") in readme
    assert "experts.expert.csv" in readme


# The job -------------------------------------------------------------------------------------


def test_asking_twice_makes_one_download_and_one_email(expert, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.data_export_request(expert=expert)
        assert services.data_export_request(expert=expert) == first
    assert DataExport.objects.filter(expert=expert).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [expert.email]


def test_the_job_run_twice_makes_one_file_and_one_email(expert, django_capture_on_commit_callbacks):
    export = DataExport.objects.create(expert=expert)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.data_export_build(export.pk) is True
        assert tasks.data_export_build(export.pk) is False
    assert tasks.data_export_email(export.pk) is False  # sent already, by the first run
    export.refresh_from_db()
    assert export.state == DataExportState.READY
    assert export.file.storage.exists(export.file.name)
    assert len(mail.outbox) == 1


def test_the_email_links_to_the_download_and_says_until_when(
    expert, django_capture_on_commit_callbacks
):
    export = _make(expert, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert f"/mijn/gegevens/download/{export.pk}/" in message.body
    assert export.expires_at - export.finished_at == datetime.timedelta(days=7)


def test_the_days_a_download_stays_are_a_setting(
    expert, settings, django_capture_on_commit_callbacks
):
    settings.SAMEN_DATA_EXPORT_DAYS = 2
    export = _make(expert, django_capture_on_commit_callbacks)
    assert export.expires_at - export.finished_at == datetime.timedelta(days=2)


def test_a_failure_is_shown_as_failed_and_a_new_download_can_be_asked(
    expert, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(data, file):
        raise OSError("disk full")

    monkeypatch.setattr(services, "write_archive", broken)
    export = _make(expert, django_capture_on_commit_callbacks)
    assert export.state == DataExportState.FAILED
    assert not export.file
    assert mail.outbox == []
    monkeypatch.undo()
    assert _make(expert, django_capture_on_commit_callbacks).state == DataExportState.READY


def test_a_download_left_by_a_dead_worker_is_made_by_the_next_run(expert):
    long_ago = timezone.now() - services.STALE_WORK - datetime.timedelta(minutes=1)
    stale = DataExport.objects.create(
        expert=expert, state=DataExportState.WORKING, started_at=long_ago
    )
    assert tasks.data_export_build(stale.pk) is True
    other = ExpertFactory()
    busy = DataExport.objects.create(
        expert=other, state=DataExportState.WORKING, started_at=timezone.now()
    )
    assert tasks.data_export_build(busy.pk) is False


def test_a_download_erased_while_it_was_made_leaves_no_file(
    expert, monkeypatch, django_capture_on_commit_callbacks
):
    export = DataExport.objects.create(expert=expert)
    real = services.write_archive

    def and_meanwhile_erased(data, file):
        rows = real(data, file)
        DataExport.objects.filter(pk=export.pk).delete()
        return rows

    monkeypatch.setattr(services, "write_archive", and_meanwhile_erased)
    storage = DataExport._meta.get_field("file").storage
    folder = f"exports/{expert.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.data_export_build(export.pk) is False
    assert not storage.exists(folder) or storage.listdir(folder) == ([], [])


def test_expired_downloads_lose_their_file_once(expert, django_capture_on_commit_callbacks):
    export = ready_export(expert, expires_at=timezone.now() - datetime.timedelta(minutes=1))
    current = ready_export(ExpertFactory())
    name = export.file.name
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.data_exports_delete_expired() == 1
        assert tasks.data_exports_delete_expired() == 0
    export.refresh_from_db()
    assert export.state == DataExportState.EXPIRED
    assert not export.file
    assert not export.file.storage.exists(name)
    current.refresh_from_db()
    assert current.state == DataExportState.READY


def test_an_expired_download_is_expired_before_the_job_runs(expert):
    export = ready_export(expert, expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert export.state_on(timezone.now()) == DataExportState.EXPIRED
    assert not DataExport.objects.downloadable(now=timezone.now()).exists()


def test_the_sweep_sends_what_the_broker_missed(expert, monkeypatch):
    sent = []
    monkeypatch.setattr(tasks, "enqueue", lambda task, pk: sent.append((task.name, pk)) or True)
    waiting = DataExport.objects.create(expert=expert)
    DataExport.objects.filter(pk=waiting.pk).update(
        requested_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    fresh = DataExport.objects.create(expert=ExpertFactory())
    unsent = ready_export(ExpertFactory())
    DataExport.objects.filter(pk=unsent.pk).update(
        finished_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    assert tasks.data_exports_send_unsent() == 2
    assert sorted(sent) == sorted(
        [(tasks.data_export_build.name, waiting.pk), (tasks.data_export_email.name, unsent.pk)]
    )
    assert fresh.pk not in [pk for _name, pk in sent]


@pytest.mark.parametrize("minutes", [5, 60 * 24 * 4])
def test_the_last_email_of_an_erasure_is_sent_later_or_forgotten(
    minutes, everything, coordinator, monkeypatch
):
    sent = []
    monkeypatch.setattr(tasks, "enqueue", lambda task, pk: sent.append(pk) or True)
    erasure = everything.expert.erasure_requests.get()
    services.erasure_confirm(erasure=erasure, by=coordinator)  # its task is not run here
    type(erasure).objects.filter(pk=erasure.pk).update(
        decided_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )
    tasks.erasures_send_unsent()
    erasure.refresh_from_db()
    if minutes == 5:
        assert sent == [erasure.pk]
        assert erasure.farewell_to == "zwaantje.oosterbroek@voorbeeld.test"
        assert tasks.erasure_farewell_send(erasure.pk) is True
        assert tasks.erasure_farewell_send(erasure.pk) is False
        assert len(mail.outbox) == 1
    else:
        assert sent == []
        assert erasure.farewell_to == ""


def test_the_jobs_are_on_the_beat_schedule():
    from samen.celery import app as celery_app

    scheduled = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}
    for task in [
        tasks.data_exports_send_unsent,
        tasks.erasures_send_unsent,
        tasks.data_exports_delete_expired,
        tasks.books_delete_expired,
    ]:
        assert task.name in scheduled
        assert task.name in celery_app.tasks
