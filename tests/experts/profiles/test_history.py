"""The history of an expert's sharing choices and benefit situation: who changed them, when,
and to what. Only these fields are copied into the history."""

import importlib

from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from experts.models import Expert, ExpertKind
from experts.profiles.models import AUDITED_FIELDS
from tests.factories import ConsentFactory, ExpertFactory


def _form_data(expert: Expert, **changes) -> dict:
    data = {
        "first_name": expert.first_name,
        "last_name": expert.last_name,
        "email": expert.email,
        "kind": expert.kind,
        "expertise": expert.expertise,
        "status": expert.status,
        "availability_hours_per_month": str(expert.availability_hours_per_month),
        "benefit_situation": expert.benefit_situation,
        "city": expert.city,
    }
    if expert.share_email_with_leads:
        data["share_email_with_leads"] = "on"
    return {**data, **changes}


def test_coordinator_changing_sharing_and_benefit_is_recorded_with_who_and_what(
    coordinator_client, coordinator, db
):
    expert = ExpertFactory(kind=ExpertKind.PARENT)
    response = coordinator_client.post(
        reverse("coordinator:expert_edit", args=[expert.pk]),
        _form_data(expert, share_email_with_leads="on", benefit_situation="uwv"),
    )
    assert response.status_code == 302

    latest, first = expert.history.all()
    assert (latest.history_type, latest.history_user) == ("~", coordinator)
    assert (latest.share_email_with_leads, latest.benefit_situation) == (True, "uwv")
    assert (first.history_type, first.share_email_with_leads, first.benefit_situation) == (
        "+",
        False,
        "unknown",
    )
    changed = {change.field for change in latest.diff_against(first).changes}
    assert changed == {"share_email_with_leads", "benefit_situation"}


def test_a_save_that_changes_neither_sharing_nor_benefit_adds_no_history(coordinator_client, db):
    expert = ExpertFactory(city="Leiden")
    response = coordinator_client.post(
        reverse("coordinator:expert_edit", args=[expert.pk]), _form_data(expert, city="Katwijk")
    )
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.city == "Katwijk"
    assert expert.history.count() == 1  # the row of its creation

    expert.share_phone_with_leads = True
    expert.save(update_fields=["share_phone_with_leads"])
    expert.city = "Leiden"
    expert.save(update_fields=["city"])
    assert [row.share_phone_with_leads for row in expert.history.all()] == [True, False]


def test_a_change_before_the_history_started_is_recorded(db):
    """An expert from before the history (or made in bulk without it) has no first row."""
    expert = ExpertFactory()
    expert.history.all().delete()
    expert.benefit_situation = "none"
    expert.save()
    assert [row.benefit_situation for row in expert.history.all()] == ["none"]


def test_history_copies_only_the_sharing_choices_and_benefit_situation():
    copied = {field.name for field in Expert.history.model.tracked_fields}
    assert copied == {"id", *AUDITED_FIELDS}
    assert not hasattr(Expert.history.model, "private_notes")
    assert not hasattr(Expert.history.model, "date_of_birth")


def test_admin_can_read_an_experts_history_but_not_revert_it(admin_client_, admin, db):
    expert = ExpertFactory()
    expert.share_email_with_leads = True
    expert._history_user = admin
    expert.save()
    latest = expert.history.first()

    history = admin_client_.get(reverse("admin:experts_expert_history", args=[expert.pk]))
    assert history.status_code == 200
    assert str(admin) in history.content.decode()
    revert = admin_client_.post(
        reverse("admin:experts_expert_simple_history", args=[expert.pk, latest.history_id]),
        {"share_email_with_leads": ""},
    )
    assert revert.status_code == 403


def test_the_migration_starts_the_history_of_every_expert(db):
    """Experts from before the history get a first row with their choices as they are."""
    migration = importlib.import_module("experts.migrations.0011_expert_history_starts")
    experts = [ExpertFactory(benefit_situation="uwv"), ExpertFactory(share_phone_with_leads=True)]
    Expert.history.all().delete()

    migration.start(django_apps, None)

    for expert in experts:
        (first,) = expert.history.all()
        assert first.history_type == "+"
        assert first.history_user is None
        assert (first.benefit_situation, first.share_phone_with_leads) == (
            expert.benefit_situation,
            expert.share_phone_with_leads,
        )


def test_the_migration_turns_a_sharing_choice_into_the_consent_to_share(db):
    """Leads keep seeing what an adult shared before the consent to share existed; an expert
    under 16 needs a parent for it; one with the consent already gets no second."""
    migration = importlib.import_module(
        "experts.migrations.0016_sharing_consent_from_sharing_choices"
    )
    today = timezone.localdate()
    email = ExpertFactory(share_email_with_leads=True)
    phone = ExpertFactory(share_phone_with_leads=True, phone="0611111111", date_of_birth=None)
    nothing = ExpertFactory()
    child = ExpertFactory(
        share_email_with_leads=True, date_of_birth=today.replace(year=today.year - 14, day=1)
    )
    had_it = ExpertFactory(share_email_with_leads=True)
    ConsentFactory(expert=had_it, purpose="sharing")

    migration.record(django_apps, None)

    for expert in (email, phone):
        consent = expert.consents.get(purpose="sharing")
        assert (consent.given_by, consent.recorded_by, consent.in_force) == ("self", None, True)
        assert consent.notes
        assert consent.history.get().history_type == "+"
    seen = Expert.objects.with_contact_for_leads(on=today)
    assert seen.get(pk=email.pk).email_for_leads == email.email
    assert seen.get(pk=phone.pk).phone_for_leads == phone.phone
    assert not nothing.consents.exists()
    assert not child.consents.exists()
    assert had_it.consents.count() == 1
