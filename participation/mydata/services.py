"""Writes of an expert's own data: asking for a download and making it, asking for erasure,
and the coordinator's answer: erase or refuse.

Erasure goes by ``registry.PERSONAL_DATA``: every model that refers to the expert or their
account says what happens to its rows, so a model added later is erased (or the test that
walks the models fails) without a change here."""

from __future__ import annotations

import datetime
import logging
import tempfile
from collections.abc import Iterable

from allauth.usersessions.models import UserSession
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from experts.models import Expert, ExpertStatus
from participation.hours.services import months_refresh
from participation.models import ActivityLog, ExportFormat, ExportKind, Payment, Placement
from participation.placements.services import network_compositions_refresh
from participation.registry.services import export_log_record
from participation.requests.emails import expert_email
from samen.accounts.models import User
from samen.jobs import enqueue_on_commit
from samen.mail import recipient_language

from . import emails
from .exports import write_archive
from .models import DataExport, DataExportState, ErasureRequest, ErasureState
from .registry import (
    PAYMENT_RETENTION_YEARS,
    Erase,
    Found,
    PersonalData,
    history_model,
    personal_data,
)

logger = logging.getLogger(__name__)

# A download still "being made" after this long was left by a worker that died: a new run may
# take it over. Longer than the build task's hard time limit.
STALE_WORK = datetime.timedelta(minutes=10)


def data_export_lifetime() -> datetime.timedelta:
    """How long a download stays ready (``SAMEN_DATA_EXPORT_DAYS``)."""
    return datetime.timedelta(days=settings.SAMEN_DATA_EXPORT_DAYS)


# Downloads -----------------------------------------------------------------------------------


@transaction.atomic
def data_export_request(*, expert: Expert) -> DataExport:
    """Ask for a download of everything Samen holds about ``expert``; a job makes it. While
    one is waiting or being made, asking again gives that one."""
    # Two clicks at once: the second waits here and then finds the first.
    Expert.objects.select_for_update().filter(pk=expert.pk).values_list("pk").first()
    export = DataExport.objects.unfinished().filter(expert=expert).first()
    if export is not None:
        return export
    export = DataExport.objects.create(expert=expert)

    from .tasks import data_export_build

    enqueue_on_commit(data_export_build, export.pk)
    return export


def _claim(export_id: int, *, now: datetime.datetime) -> bool:
    """Take the download to make: waiting, or left by a worker that died."""
    claimable = models.Q(state=DataExportState.QUEUED) | models.Q(
        state=DataExportState.WORKING, started_at__lt=now - STALE_WORK
    )
    return (
        DataExport.objects.filter(claimable, pk=export_id).update(
            state=DataExportState.WORKING, started_at=now
        )
        == 1
    )


def data_export_build(*, export_id: int) -> bool:
    """Make the download: every table about the expert as JSON and CSV, with their files, in
    a ZIP stored privately; then send the e-mail. Returns whether a file was made. Safe to run
    twice: the second run finds it claimed or done."""
    started = timezone.now()
    if not _claim(export_id, now=started):
        logger.info("Download %s is not waiting to be made; nothing to do.", export_id)
        return False
    export = DataExport.objects.select_related("expert__user").get(pk=export_id)
    name = ""
    try:
        with tempfile.TemporaryFile() as file:
            with translation.override(recipient_language(export.expert.user)):
                rows = write_archive(personal_data(export.expert), file)
            size = file.tell()
            file.seek(0)
            name = export.file.storage.save(
                export.file.field.generate_filename(export, "data.zip"), File(file)
            )
    except Exception:
        logger.exception("Download %s could not be made.", export_id)
        DataExport.objects.filter(pk=export_id, state=DataExportState.WORKING).update(
            state=DataExportState.FAILED, finished_at=timezone.now()
        )
        if name:
            export.file.storage.delete(name)
        return False
    finished = timezone.now()
    with transaction.atomic():
        ready = DataExport.objects.filter(
            pk=export_id, state=DataExportState.WORKING, started_at=started
        ).update(
            state=DataExportState.READY,
            file=name,
            size=size,
            rows=rows,
            finished_at=finished,
            expires_at=finished + data_export_lifetime(),
        )
        if ready != 1:
            # Erased or taken over meanwhile: this file belongs to nobody.
            transaction.on_commit(lambda: export.file.storage.delete(name))
            return False

        from .tasks import data_export_email

        enqueue_on_commit(data_export_email, export_id)
    return True


def data_export_email_send(*, export_id: int) -> bool:
    """E-mail the expert that their download is ready, with the link and until when it works.
    Sends at most once. Returns whether a mail went out."""
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update(of=("self",))
            .select_related("expert__user")
            .filter(pk=export_id)
            .first()
        )
        if export is None:
            logger.warning("Download %s no longer exists; nothing to send.", export_id)
            return False
        if export.emailed_at is not None:
            logger.info("The e-mail about download %s was already sent.", export_id)
            return False
        if export.state_on(timezone.now()) != DataExportState.READY:
            logger.info("Download %s is %s; nothing to send.", export_id, export.state)
            return False
        address = expert_email(export.expert)
        if not address:
            logger.warning("Expert %s has no e-mail address.", export.expert_id)
            return False
        export.emailed_at = timezone.now()
        export.save(update_fields=["emailed_at"])
        emails.data_export_ready_message(export, to=address).send()
    return True


def data_exports_expire(*, now: datetime.datetime) -> int:
    """Delete the files of the downloads whose time is up; they stay as expired rows (the
    record that the expert downloaded their data). Returns how many expired."""
    storage = DataExport._meta.get_field("file").storage
    expired = 0
    for pk, name in DataExport.objects.expired(now=now).values_list("pk", "file").iterator():
        with transaction.atomic():
            done = (
                DataExport.objects.expired(now=now)
                .filter(pk=pk)
                .update(state=DataExportState.EXPIRED, file="")
            )
            if done:
                transaction.on_commit(lambda name=name: storage.delete(name))
                expired += 1
    return expired


def data_export_downloaded(*, export: DataExport, by: User) -> None:
    """Log the download of a file with personal data before it is sent (``ExportLog``)."""
    export_log_record(
        user=by,
        kind=ExportKind.OWN_DATA,
        query=f"download={export.pk}",
        rows=export.rows,
        export_format=ExportFormat.ZIP,
    )


# Erasure requests ----------------------------------------------------------------------------


@transaction.atomic
def erasure_request_create(*, expert: Expert) -> ErasureRequest:
    """The expert asks for erasure. Asking again while one waits gives that one."""
    Expert.objects.select_for_update().filter(pk=expert.pk).values_list("pk").first()
    waiting = ErasureRequest.objects.waiting().filter(expert=expert).first()
    if waiting is not None:
        return waiting
    return ErasureRequest.objects.create(expert=expert)


@transaction.atomic
def erasure_request_cancel(*, expert: Expert) -> bool:
    """The expert takes back the request that waits. Returns whether one was waiting."""
    return bool(
        ErasureRequest.objects.waiting()
        .filter(expert=expert)
        .update(state=ErasureState.CANCELLED, decided_at=timezone.now())
    )


def _lock(erasure: ErasureRequest) -> ErasureRequest:
    """The request, locked: two coordinators answering at once take turns."""
    return ErasureRequest.objects.select_for_update().get(pk=erasure.pk)


def _refuse_if_answered(erasure: ErasureRequest) -> None:
    if erasure.state != ErasureState.WAITING:
        raise ValidationError(
            _("This request was answered already: %(state)s.")
            % {"state": erasure.get_state_display().lower()}
        )


@transaction.atomic
def erasure_refuse(*, erasure: ErasureRequest, by: User, reason: str) -> ErasureRequest:
    """The coordinator refuses, with a reason the expert reads on their page."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why, so the expert knows what to do.")})
    erasure = _lock(erasure)
    _refuse_if_answered(erasure)
    erasure.state = ErasureState.REFUSED
    erasure.refusal_reason = reason.strip()
    erasure.decided_at = timezone.now()
    erasure.decided_by = by
    erasure.full_clean()
    erasure.save()
    return erasure


@transaction.atomic
def erasure_confirm(*, erasure: ErasureRequest, by: User) -> ErasureRequest:
    """The coordinator confirms: everything Samen holds about the expert is erased in this
    transaction (``expert_erase``), and a last e-mail goes to the address they had. Confirming
    an erasure that is done already (a second click, a second coordinator) changes nothing."""
    erasure = _lock(erasure)
    if erasure.state == ErasureState.DONE:
        return erasure
    _refuse_if_answered(erasure)
    expert = (
        Expert.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=erasure.expert_id)
    )
    erasure.farewell_to = expert_email(expert)
    erasure.farewell_language = recipient_language(expert.user)
    expert_erase(expert=expert)
    erasure.state = ErasureState.DONE
    erasure.decided_at = timezone.now()
    erasure.decided_by = by
    erasure.full_clean()
    erasure.save()

    from .tasks import erasure_farewell_send

    enqueue_on_commit(erasure_farewell_send, erasure.pk)
    return erasure


def erasure_farewell_send_once(*, erasure_id: int) -> bool:
    """Send the last e-mail of an erasure, once, and forget the address it went to. Returns
    whether a mail went out."""
    with transaction.atomic():
        erasure = ErasureRequest.objects.select_for_update().filter(pk=erasure_id).first()
        if erasure is None or erasure.state != ErasureState.DONE:
            logger.info("Erasure %s is not done; nothing to send.", erasure_id)
            return False
        if erasure.farewell_sent_at is not None or not erasure.farewell_to:
            logger.info("Erasure %s: last e-mail sent already, or no address.", erasure_id)
            return False
        message = emails.erasure_done_message(erasure)
        erasure.farewell_sent_at = timezone.now()
        erasure.farewell_to = ""
        erasure.farewell_language = ""
        erasure.save(update_fields=["farewell_sent_at", "farewell_to", "farewell_language"])
        message.send()
    return True


# Erasing, by introspection -------------------------------------------------------------------


def _empty_value(field: models.Field):
    """What an emptied field holds: nothing, its default, or an empty text."""
    if field.null:
        return None
    if field.has_default():
        return field.get_default()
    if isinstance(field, models.CharField | models.TextField | models.FileField):
        return ""
    raise TypeError(f"{field.model._meta.label}.{field.name} has no empty value")


def _emptied(model: type[models.Model], kept: Iterable[str]) -> dict:
    """Every field of ``model`` but the primary key and ``kept``, with its empty value. A
    history's own fields (when, what, who) stay; its copy of a field follows the field."""
    kept = set(kept)
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in kept:
            continue
        history_own = hasattr(model, "instance_type") and field.name.startswith("history_")
        if history_own and field.name != "history_change_reason":
            continue
        values[field.attname] = _empty_value(field)
    return values


def _file_names(found_rows: models.QuerySet) -> list[tuple]:
    """(storage, name) of every file of these rows."""
    names = []
    model = found_rows.model
    for field in model._meta.concrete_fields:
        if isinstance(field, models.FileField) and not hasattr(model, "instance_type"):
            for name in found_rows.exclude(**{field.attname: ""}).values_list(
                field.attname, flat=True
            ):
                if name:
                    names.append((field.storage, name))
    return names


def _delete_files_after_commit(files: list[tuple]) -> None:
    def delete() -> None:
        for storage, name in files:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("Could not delete a file of an erased expert.")

    if files:
        transaction.on_commit(delete)


def _empty_references(user: User | None) -> None:
    """Every nullable relation to the account on a row that stays, in any model (histories
    included, whose relations have no constraint and would keep a dangling id): emptied, so
    nothing points to the account once it is gone. The expert's own row stays (a tombstone),
    so relations to it stay too."""
    if user is None:
        return
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.null and field.related_model is type(user):
                model._base_manager.filter(**{field.attname: user.pk}).update(
                    **{field.attname: None}
                )


def _end_sessions(user: User) -> None:
    for session in UserSession.objects.filter(user=user):
        session.end()


def _keep(data: PersonalData, found: Found, files: list) -> list:
    """Empty every field but the kept ones on the rows kept, and on their history; delete the
    other rows. Returns the ids kept."""
    rule = found.rule
    rows = found.rows
    kept = rows.filter(rule.kept_rows) if rule.kept_rows is not None else rows
    kept_pks = list(kept.values_list("pk", flat=True))
    files += _file_names(rows)
    kept.update(**_emptied(found.model, rule.kept))
    rows.exclude(pk__in=kept_pks).delete()
    history = data.history_rows(found)
    if history is not None:
        history.filter(id__in=kept_pks).update(**_emptied(history.model, rule.kept))
        history.exclude(id__in=kept_pks).delete()
    return kept_pks


@transaction.atomic
def expert_erase(*, expert: Expert) -> PersonalData:
    """Erase everything Samen holds about ``expert`` as ``registry.PERSONAL_DATA`` says: the
    rows kept for the books emptied of everything personal, every other row deleted with its
    files and history, the account deleted with its sessions, and the expert's own row left
    as a nameless tombstone (``ExpertStatus.ERASED``). All or nothing; the files go once the
    transaction commits. Returns what was found before the erasure."""
    data = personal_data(expert)
    user = expert.user
    files: list[tuple] = []
    months = {
        (expert.pk, day)
        for day in ActivityLog.objects.filter(expert=expert).values_list("date", flat=True)
    }
    networks = set(Placement.objects.filter(expert=expert).values_list("network", flat=True))
    if user is not None:
        _end_sessions(user)  # before allauth's records of them go with the other rows
    # The books first: hours kept let go of the placements and matches they pointed to.
    for found in data:
        if found.rule.erase is Erase.KEEP:
            _keep(data, found, files)
    for found in data:
        rule = found.rule
        # The account goes last, after everything that names it.
        if rule.erase is Erase.DELETE and found.model._meta.label != settings.AUTH_USER_MODEL:
            files += _file_names(found.rows)
            found.rows.delete()
        elif rule.erase is Erase.RECOUNT:
            found.rows.delete()
    _empty_references(user)
    if user is not None:
        user.delete()
    expert_found = data["experts.Expert"]
    Expert.objects.filter(pk=expert.pk).update(
        **_emptied(Expert, expert_found.rule.kept),
        status=ExpertStatus.ERASED,
        erased_at=timezone.now(),
        updated_at=timezone.now(),
    )
    # Histories last: deleting a row with a history adds a row to that history. Every
    # history's rows are read before any is deleted: a history of roles finds the ids of
    # earlier placements in the placements' history.
    erased_histories = [
        (history.model, list(history.values_list("pk", flat=True)))
        for found in data
        if found.rule.erase in (Erase.DELETE, Erase.RECOUNT, Erase.TOMBSTONE)
        and (history := data.history_rows(found)) is not None
    ]
    for model, pks in erased_histories:
        model._default_manager.filter(pk__in=pks).delete()
    months_refresh(keys=months)
    network_compositions_refresh(network_ids=networks)
    _delete_files_after_commit(files)
    return data


@transaction.atomic
def books_delete_after_retention(*, today: datetime.date) -> int:
    """Delete what erasure kept for the books once its time is over: the payments of erased
    experts for a year at least ``PAYMENT_RETENTION_YEARS`` full years back (a payment for 2025
    goes on 1 January 2033), with the paid hours in them and their history. The payments of
    experts who were not erased stay. Returns how many payments were deleted."""
    last_year = today.year - PAYMENT_RETENTION_YEARS - 1
    payment_pks = list(
        Payment.objects.filter(expert__erased_at__isnull=False, year__lte=last_year)
        .select_for_update()
        .values_list("pk", flat=True)
    )
    if not payment_pks:
        return 0
    logs = ActivityLog.objects.filter(payment__in=payment_pks)
    log_pks = list(logs.values_list("pk", flat=True))
    months = set(logs.values_list("expert", "date"))
    # The one deletion that KeptWhenPaid refuses on purpose everywhere else: the books' time
    # is over. Django's own QuerySet.delete, past KeptWhenPaidQuerySet's refusal.
    models.QuerySet.delete(ActivityLog.objects.filter(pk__in=log_pks))
    models.QuerySet.delete(Payment.objects.filter(pk__in=payment_pks))
    for model, pks in ((ActivityLog, log_pks), (Payment, payment_pks)):
        history_model(model)._default_manager.filter(id__in=pks).delete()
    months_refresh(keys=months)
    return len(payment_pks)


def history_rows_left(data: PersonalData) -> dict[str, int]:
    """For tests and checks: how many history rows each model of ``data`` still has about the
    expert."""
    return {
        found.model._meta.label: rows.count()
        for found in data
        if history_model(found.model) is not None and (rows := data.history_rows(found)) is not None
    }
