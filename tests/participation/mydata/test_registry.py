"""The registry of personal data (``participation/mydata/registry.py``) covers every model that
refers to an expert, an account or a row of an expert's own data: found by walking
``apps.get_models()``, so a new model fails here until it says what its download and its
erasure do."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test.utils import isolate_apps

from experts.models import Expert
from participation.mydata.registry import (
    NOT_PERSONAL,
    PERSONAL_DATA,
    SELF,
    Erase,
    historical_models,
    personal_data,
    uncovered,
)


def test_every_model_that_refers_to_an_expert_or_an_account_is_covered():
    problems = uncovered(apps.get_models(include_auto_created=True))
    assert not problems, (
        "Say in participation/mydata/registry.py (PERSONAL_DATA) what the download and the "
        "erasure do with these relations:\n" + "\n".join(problems)
    )


@isolate_apps("participation")
def test_a_new_model_that_refers_to_an_expert_is_reported():
    class Diary(models.Model):
        expert = models.ForeignKey(Expert, on_delete=models.CASCADE)
        text = models.TextField()

        class Meta:
            app_label = "participation"

    class DiaryPage(models.Model):
        placement = models.ForeignKey("participation.Placement", on_delete=models.CASCADE)

        class Meta:
            app_label = "participation"

    class Note(models.Model):
        author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)

        class Meta:
            app_label = "participation"

    DiaryPage._meta.get_field("placement").remote_field.model = apps.get_model(
        "participation.Placement"
    )
    Note._meta.get_field("author").remote_field.model = apps.get_model(settings.AUTH_USER_MODEL)

    assert uncovered([Diary, DiaryPage, Note]) == [
        "participation.Diary.expert refers to experts.Expert",
        "participation.DiaryPage.placement refers to participation.Placement, a row of own data",
        "participation.Note.author refers to accounts.User",
    ]


def test_a_relation_left_out_of_a_rule_is_reported(monkeypatch):
    rule = PERSONAL_DATA["participation.Placement"]
    monkeypatch.setitem(
        PERSONAL_DATA,
        "participation.Placement",
        type(rule)(rule.erase, rule.why, about=rule.about),  # without its actor created_by
    )
    assert uncovered([apps.get_model("participation.Placement")]) == [
        "participation.Placement.created_by refers to accounts.User"
    ]


@pytest.mark.parametrize("label", list(PERSONAL_DATA))
def test_each_rule_names_fields_its_model_has(label):
    model = apps.get_model(label)
    rule = PERSONAL_DATA[label]
    fields = {field.name for field in model._meta.get_fields()}
    named = [*rule.about, *rule.actors, *rule.kept, *rule.left_out, *(rule.object_of or ())]
    assert set(named) - {SELF} <= fields, set(named) - fields
    assert bool(rule.kept) == (rule.erase in (Erase.KEEP, Erase.TOMBSTONE))
    assert rule.kept_rows is None or rule.erase is Erase.KEEP
    assert bool(rule.about or rule.object_of) == (rule.erase is not Erase.NOT_ABOUT)
    assert rule.why


def test_the_reasons_for_leaving_models_out_name_real_models():
    for label in NOT_PERSONAL:
        assert apps.get_model(label)
        assert label not in PERSONAL_DATA


def test_each_history_follows_a_model_of_the_registry_or_names_only_who_changed_it():
    for history, model in historical_models().items():
        relations = {
            field.name
            for field in history._meta.get_fields()
            if field.is_relation and not field.auto_created
        }
        if model._meta.label not in PERSONAL_DATA:
            # Reference data (rates, limits): only who made a change names a person.
            assert not any(
                history._meta.get_field(name).related_model is Expert for name in relations
            )


def test_the_expert_with_everything_has_rows_in_every_model_of_the_registry(everything):
    """So the download and erasure tests below see every model at work: a new model gets a
    row in the ``everything`` fixture (tests/participation/mydata/conftest.py)."""
    data = personal_data(everything.expert)
    empty = [
        found.model._meta.label
        for found in data
        if found.rule.erase is not Erase.NOT_ABOUT and not found.pks
    ]
    assert not empty, f"add a row of these to the fixture `everything`: {empty}"
    histories = [
        found.model._meta.label
        for found in data
        if (rows := data.history_rows(found)) is not None
        and found.rule.erase is not Erase.NOT_ABOUT
        and not rows.exists()
    ]
    assert not histories, f"no history rows of: {histories}"
