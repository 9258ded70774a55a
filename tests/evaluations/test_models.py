"""Tips & tops and questionnaires keep their rules in the database: every constraint rejects a
bad row, even when ``full_clean`` is bypassed, and accepts the matching good one."""

import datetime

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from evaluations.models import Answer, QuestionnaireResponse
from tests.constraints import violates
from tests.factories import (
    EvaluationRoundFactory,
    FeedbackFactory,
    QuestionFactory,
    QuestionnaireFactory,
)

pytestmark = pytest.mark.django_db


def _two_rounds(first_title: str, second_title: str, *, second_year: int = 2025):
    EvaluationRoundFactory(title=first_title, year=2025)
    return EvaluationRoundFactory(title=second_title, year=second_year)


def _two_questions(first_order: int, second_order: int):
    question = QuestionFactory(order=first_order)
    return QuestionFactory(questionnaire=question.questionnaire, order=second_order)


def _answer(**overrides) -> Answer:
    question = overrides.pop("question", None) or QuestionFactory()
    response = overrides.pop("response", None) or QuestionnaireResponse.objects.create(
        questionnaire=question.questionnaire
    )
    return Answer.objects.create(response=response, question=question, **overrides)


def _two_answers(*, same_question: bool) -> Answer:
    first = _answer(text="Meer ouders aan tafel.")
    question = (
        first.question
        if same_question
        else QuestionFactory(questionnaire=first.question.questionnaire)
    )
    return _answer(response=first.response, question=question, text="Korte zinnen.")


# (constraint name, a row that breaks it, the nearest row that keeps it)
CASES = [
    (
        "evaluation_round_unique",
        lambda: _two_rounds("Tips & tops", "Tips & tops"),
        lambda: _two_rounds("Tips & tops", "Tips & tops", second_year=2026),
    ),
    (
        "evaluation_round_closes_after_open",
        lambda: EvaluationRoundFactory(
            opens_on=datetime.date(2025, 11, 1), closes_on=datetime.date(2025, 10, 31)
        ),
        lambda: EvaluationRoundFactory(
            opens_on=datetime.date(2025, 11, 1), closes_on=datetime.date(2025, 11, 1)
        ),
    ),
    (
        "feedback_has_text",
        lambda: FeedbackFactory(text=""),
        lambda: FeedbackFactory(text="Groepjes van hooguit 7 tot 10."),
    ),
    (
        "question_order_unique",
        lambda: _two_questions(1, 1),
        lambda: _two_questions(1, 2),
    ),
    (
        "answer_one_per_question",
        lambda: _two_answers(same_question=True),
        lambda: _two_answers(same_question=False),
    ),
    (
        "answer_scale_valid",
        lambda: _answer(scale=0),
        lambda: _answer(scale=1),
    ),
    (
        "answer_scale_valid",
        lambda: _answer(scale=6),
        lambda: _answer(scale=5),
    ),
    (
        "answer_scale_valid",
        lambda: _answer(scale=6, text="Heel goed"),
        # An open answer has no score.
        lambda: _answer(scale=None, text="Heel goed"),
    ),
]


@pytest.mark.parametrize(
    ("name", "bad", "good"),
    [pytest.param(*case, id=f"{case[0]}-{i}") for i, case in enumerate(CASES)],
)
def test_database_rejects_row_breaking_constraint_and_accepts_good_row(name, bad, good):
    # The error must name this constraint, so no other rule is what stopped the row.
    with pytest.raises(IntegrityError, match=violates(name)), transaction.atomic():
        bad()
    assert good().pk is not None


def test_every_evaluations_constraint_has_a_case():
    defined = {
        constraint.name
        for model in apps.get_app_config("evaluations").get_models()
        for constraint in model._meta.constraints
    }
    assert defined == {name for name, _bad, _good in CASES}


def test_questionnaire_links_are_unique_and_hard_to_guess():
    first, second = QuestionnaireFactory(), QuestionnaireFactory()
    assert first.token != second.token
    assert len(first.token) >= 32
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionnaireFactory(token=first.token)
