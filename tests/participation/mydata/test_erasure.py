"""Erasure leaves nothing personal: checked by introspection over every model of the registry
(and every model of the database for the person's names and addresses), and the payments are
kept for the books without a name."""

import datetime
from decimal import Decimal

import pytest
from allauth.usersessions.models import UserSession
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from experts.models import Expert, ExpertStatus
from participation.hours.services import months_rebuild
from participation.models import (
    ActivityLog,
    ErasureRequest,
    ErasureState,
    ExpertMonth,
    MonthTotal,
    NetworkComposition,
    Payment,
    Placement,
)
from participation.mydata import services
from participation.mydata.registry import PERSONAL_DATA, Erase, history_model, personal_data
from samen.accounts.models import User
from tests.factories import ExpertFactory, PaymentFactory

TEXT_FIELDS = (models.CharField, models.TextField, models.FileField, models.JSONField)


def _erase(everything, coordinator, django_capture_on_commit_callbacks):
    erasure = ErasureRequest.objects.get(expert=everything.expert)
    before = personal_data(everything.expert)
    with django_capture_on_commit_callbacks(execute=True):
        services.erasure_confirm(erasure=erasure, by=coordinator)
    return erasure, before


def _is_empty(field: models.Field, value) -> bool:
    if value in (None, ""):
        return True
    return field.has_default() and value == field.get_default()


def test_no_personal_field_is_left_on_any_row_about_the_expert(
    everything, coordinator, django_capture_on_commit_callbacks
):
    _erasure, before = _erase(everything, coordinator, django_capture_on_commit_callbacks)

    for found in before:
        rule = found.rule
        if rule.erase is Erase.NOT_ABOUT:
            continue
        left = found.model._default_manager.filter(pk__in=found.pks)
        label = found.model._meta.label
        if rule.erase is Erase.DELETE:
            assert not left.exists(), f"{label}: rows left"
            continue
        if rule.erase is Erase.RECOUNT:
            continue  # below: counted again from the kept hours
        if rule.kept_rows is not None:
            assert not left.exclude(rule.kept_rows).exists(), f"{label}: rows not kept are left"
        for row in left:
            for field in found.model._meta.concrete_fields:
                if field.primary_key or field.name in rule.kept:
                    continue
                value = getattr(row, field.attname)
                value = getattr(value, "name", value)  # a file: its name
                assert _is_empty(field, value), f"{label}.{field.name} still holds {value!r}"


def test_no_history_row_keeps_a_personal_value(
    everything, coordinator, django_capture_on_commit_callbacks
):
    _erasure, before = _erase(everything, coordinator, django_capture_on_commit_callbacks)
    for found in before:
        history = history_model(found.model)
        if history is None or found.rule.erase is Erase.NOT_ABOUT:
            continue
        rows = before.history_rows(found)
        if found.rule.erase is not Erase.KEEP:
            assert not rows.exists(), f"history of {found.model._meta.label} is left"
            continue
        for row in rows:
            assert row.id in found.pks
            for field in history._meta.concrete_fields:
                if field.primary_key or field.name in found.rule.kept:
                    continue
                if field.name in {"history_date", "history_type", "history_user"}:
                    continue
                value = getattr(row, field.attname)
                assert _is_empty(field, value), f"history {history.__name__}.{field.name}"


def test_the_names_and_addresses_of_the_person_are_nowhere_in_the_database(
    everything, coordinator, django_capture_on_commit_callbacks
):
    _erase(everything, coordinator, django_capture_on_commit_callbacks)
    found = []
    for model in apps.get_models(include_auto_created=True):
        fields = [f for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        for text in everything.identifying:
            condition = Q(pk__in=[])
            for field in fields:
                if isinstance(field, models.JSONField):
                    continue
                condition |= Q(**{f"{field.attname}__icontains": text})
            if model._base_manager.filter(condition).exists():
                found.append(f"{model._meta.label}: {text}")
        for field in fields:
            if isinstance(field, models.JSONField):
                for value in model._base_manager.values_list(field.attname, flat=True):
                    assert not any(text in str(value) for text in everything.identifying)
    assert not found, found


def test_the_account_its_sessions_and_the_files_are_gone(
    everything, coordinator, django_capture_on_commit_callbacks
):
    user_pk = everything.user.pk
    _erase(everything, coordinator, django_capture_on_commit_callbacks)

    assert not User.objects.filter(pk=user_pk).exists()
    assert not UserSession.objects.exists()
    assert not Session.objects.filter(session_key=everything.session_key).exists()
    for storage, name in everything.files:
        assert not storage.exists(name), name
    # Nothing points to the account any more, not even a history's plain id.
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is User:
                assert not model._base_manager.filter(**{field.attname: user_pk}).exists(), (
                    f"{model._meta.label}.{field.name}"
                )


def test_the_payments_and_paid_hours_are_kept_without_a_name(
    everything, coordinator, django_capture_on_commit_callbacks
):
    payment = Payment.objects.get(pk=everything.payment_pk)
    _erase(everything, coordinator, django_capture_on_commit_callbacks)

    kept = Payment.objects.get(pk=everything.payment_pk)
    assert kept.expert_id == everything.expert.pk
    assert kept.payee_name == ""
    assert (kept.total, kept.reference, kept.status) == (
        payment.total,
        payment.reference,
        payment.status,
    )
    assert kept.paid_by == coordinator
    log = ActivityLog.objects.get(pk=everything.paid_log_pk)
    assert (log.description, log.receipt.name, log.placement, log.match, log.meeting) == (
        "",
        "",
        None,
        None,
        None,
    )
    assert (log.hours, log.travel_costs, log.payment_id) == (
        Decimal("2"),
        Decimal("4.20"),
        everything.payment_pk,
    )
    assert log.logged_by is None  # the expert's own account, gone
    assert log.approved_by == coordinator
    assert list(ActivityLog.objects.filter(expert=everything.expert)) == [log]
    # A paid payment is still the books: not even erasure makes it deletable.
    with pytest.raises(models.ProtectedError):
        kept.delete()


def test_the_sums_of_the_hours_follow_the_hours_kept(
    everything, coordinator, django_capture_on_commit_callbacks
):
    network = Placement.objects.get(expert=everything.expert).network_id
    _erase(everything, coordinator, django_capture_on_commit_callbacks)

    def totals() -> list:
        # A month whose every log went keeps a row of zeros; a rebuild leaves it out.
        return list(
            MonthTotal.objects.exclude(experts=0, waiting_logs=0).values_list(
                "month", "experts", "hours", "waiting_logs"
            )
        )

    kept_sums = list(ExpertMonth.objects.values_list("expert", "month", "logs", "hours"))
    kept_totals = totals()
    months_rebuild()
    assert list(ExpertMonth.objects.values_list("expert", "month", "logs", "hours")) == kept_sums
    assert kept_sums == [(everything.expert.pk, datetime.date(2025, 3, 1), 1, Decimal("2.00"))]
    assert kept_totals == totals() == [(datetime.date(2025, 3, 1), 1, Decimal("2.00"), 0)]
    assert NetworkComposition.objects.get(network_id=network).youth == 0


def test_the_expert_is_a_nameless_tombstone_and_gets_a_last_email(
    everything, coordinator, django_capture_on_commit_callbacks
):
    erasure, _before = _erase(everything, coordinator, django_capture_on_commit_callbacks)

    expert = Expert.objects.get(pk=everything.expert.pk)
    assert expert.status == ExpertStatus.ERASED
    assert expert.erased_at is not None
    assert expert.user is None
    assert expert.full_name == ""
    assert not expert.themes.exists()
    assert str(expert) != ""  # the admin site and lists still name the row
    (message,) = mail.outbox
    assert message.to == ["zwaantje.oosterbroek@voorbeeld.test"]
    assert "Zwaantje" not in message.body
    erasure.refresh_from_db()
    assert erasure.state == ErasureState.DONE
    assert erasure.decided_by == coordinator
    assert erasure.farewell_sent_at is not None
    assert erasure.farewell_to == ""  # the address is forgotten once the e-mail went out


def test_confirming_twice_erases_once_and_sends_one_email(
    everything, coordinator, django_capture_on_commit_callbacks
):
    erasure, _before = _erase(everything, coordinator, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.erasure_confirm(erasure=erasure, by=coordinator)
    assert again.state == ErasureState.DONE
    assert len(mail.outbox) == 1


def test_a_refused_request_cannot_be_confirmed_and_says_why(everything, coordinator):
    erasure = ErasureRequest.objects.get(expert=everything.expert)
    reason = "Er staat nog een betaling open."
    services.erasure_refuse(erasure=erasure, by=coordinator, reason=reason)
    with pytest.raises(ValidationError):
        services.erasure_confirm(erasure=erasure, by=coordinator)
    assert Expert.objects.get(pk=everything.expert.pk).first_name == "Zwaantje"
    erasure.refresh_from_db()
    assert erasure.refusal_reason == reason


def test_refusing_needs_a_reason(everything, coordinator):
    erasure = ErasureRequest.objects.get(expert=everything.expert)
    with pytest.raises(ValidationError) as error:
        services.erasure_refuse(erasure=erasure, by=coordinator, reason="  ")
    assert "reason" in error.value.message_dict
    erasure.refresh_from_db()
    assert erasure.state == ErasureState.WAITING


def test_an_expert_without_an_account_or_payments_is_erased_too(
    coordinator, django_capture_on_commit_callbacks
):
    expert = ExpertFactory(first_name="Alleen", last_name="Profiel", email="alleen@voorbeeld.test")
    erasure = services.erasure_request_create(expert=expert)
    with django_capture_on_commit_callbacks(execute=True):
        services.erasure_confirm(erasure=erasure, by=coordinator)
    expert.refresh_from_db()
    assert (expert.first_name, expert.email, expert.status) == ("", "", ExpertStatus.ERASED)
    assert mail.outbox[0].to == ["alleen@voorbeeld.test"]


def test_other_experts_are_untouched(everything, coordinator, django_capture_on_commit_callbacks):
    other = ExpertFactory(first_name="Blijft")
    payment = PaymentFactory(expert=other)
    _erase(everything, coordinator, django_capture_on_commit_callbacks)
    other.refresh_from_db()
    assert other.first_name == "Blijft"
    assert Payment.objects.get(pk=payment.pk).payee_name == other.full_name


def test_the_rules_of_erasure_are_all_at_work(everything):
    """Every kind of erasure in the registry is used by the fixture's data, so the tests above
    exercise each."""
    found = personal_data(everything.expert)
    used = {PERSONAL_DATA[part.model._meta.label].erase for part in found if part.pks}
    assert used >= {Erase.DELETE, Erase.KEEP, Erase.TOMBSTONE, Erase.RECOUNT}


def test_asking_twice_makes_one_request_and_taking_it_back_works(expert):
    first = services.erasure_request_create(expert=expert)
    assert services.erasure_request_create(expert=expert) == first
    assert services.erasure_request_cancel(expert=expert) is True
    assert services.erasure_request_cancel(expert=expert) is False
    first.refresh_from_db()
    assert first.state == ErasureState.CANCELLED
    assert first.decided_at <= timezone.now()


def test_the_books_of_an_erased_expert_go_after_seven_years(
    everything, coordinator, django_capture_on_commit_callbacks
):
    kept_expert = ExpertFactory()
    not_erased = PaymentFactory(
        expert=kept_expert, year=2025, status="paid", paid_at=timezone.now()
    )
    _erase(everything, coordinator, django_capture_on_commit_callbacks)
    payment = Payment.objects.get(pk=everything.payment_pk)
    assert payment.year == 2025

    assert services.books_delete_after_retention(today=datetime.date(2032, 12, 31)) == 0
    assert Payment.objects.filter(pk=payment.pk).exists()
    assert services.books_delete_after_retention(today=datetime.date(2033, 1, 1)) == 1
    assert not Payment.objects.filter(pk=payment.pk).exists()
    assert not ActivityLog.objects.filter(expert=everything.expert).exists()
    assert not ExpertMonth.objects.filter(expert=everything.expert).exists()
    assert not Payment.history.filter(id=payment.pk).exists()
    assert not ActivityLog.history.filter(id=everything.paid_log_pk).exists()
    assert services.books_delete_after_retention(today=datetime.date(2033, 1, 1)) == 0
    # Someone who was not erased keeps their payments.
    assert Payment.objects.filter(pk=not_erased.pk).exists()
