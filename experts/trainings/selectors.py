"""Reads about an expert's development: where they stand (experience, experiential knowledge,
trained expertise), the trainings they did, the peer supervision (intervision) they attended,
and the trainings they asked for."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from experts.models import (
    Expert,
    Expertise,
    TrainingKind,
    TrainingRecord,
    TrainingRequest,
    TrainingRequestStatus,
)

# How many of their own training requests the expert sees, and how many handled ones the
# coordinator's list shows below the open ones.
OWN_REQUESTS_SHOWN = 20
HANDLED_REQUESTS_SHOWN = 20


@dataclass(frozen=True)
class Step:
    """One step of the development from experience to trained expertise, and whether the
    expert has passed it (``done``), stands on it (``current``) or has it ahead (``ahead``)."""

    number: int
    label: str
    explanation: str
    state: str

    @property
    def is_current(self) -> bool:
        return self.state == "current"

    @property
    def is_done(self) -> bool:
        return self.state == "done"


# The three steps, in order. Having experience is the first; everyone Samen knows stands at
# least on the second (``Expertise.KNOWLEDGE``), and a training that counts as trained
# expertise brings them to the third (``Expertise.EXPERTISE``).
STEPS = [
    (None, _("Experience"), _("You have your own experience with youth care.")),
    (
        Expertise.KNOWLEDGE,
        Expertise.KNOWLEDGE.label,
        _("You think about your experience and use what you learned from it."),
    ),
    (
        Expertise.EXPERTISE,
        Expertise.EXPERTISE.label,
        _("You finished a training and use your experience to help others."),
    ),
]


def development_steps(expert: Expert) -> list[Step]:
    """The three steps with the expert's place on them, from ``Expert.expertise``. No
    query."""
    current = next(
        index for index, (value, *_rest) in enumerate(STEPS) if value == expert.expertise
    )
    return [
        Step(
            number=index + 1,
            label=str(label),
            explanation=str(explanation),
            state="done" if index < current else "current" if index == current else "ahead",
        )
        for index, (_value, label, explanation) in enumerate(STEPS)
    ]


def training_records(expert: Expert) -> tuple[list[TrainingRecord], list[TrainingRecord]]:
    """The expert's trainings and their peer supervision (intervision: a training of kind
    ``TrainingKind.INTERVISION``, attended as a ``TrainingRecord``), newest first. One
    query."""
    records = list(
        TrainingRecord.objects.filter(expert=expert)
        .select_related("training")
        .order_by("-started_on", "-pk")
    )
    intervision = [r for r in records if r.training.kind == TrainingKind.INTERVISION]
    trainings = [r for r in records if r.training.kind != TrainingKind.INTERVISION]
    return trainings, intervision


def own_training_requests(expert: Expert) -> list[TrainingRequest]:
    """The expert's latest training requests, open and handled, newest first. One query."""
    return list(
        TrainingRequest.objects.filter(expert=expert)
        .select_related("training")
        .order_by("-created_at", "-pk")[:OWN_REQUESTS_SHOWN]
    )


def open_training_requests() -> QuerySet[TrainingRequest]:
    """Every open training request, oldest first, with the expert and the training."""
    return (
        TrainingRequest.objects.filter(status=TrainingRequestStatus.OPEN)
        .select_related("expert", "training")
        .order_by("created_at", "pk")
    )


def handled_training_requests() -> list[TrainingRequest]:
    """The latest handled training requests, with who handled them. One query."""
    return list(
        TrainingRequest.objects.filter(status=TrainingRequestStatus.HANDLED)
        .select_related("expert", "training", "handled_by")
        .order_by("-handled_at", "-pk")[:HANDLED_REQUESTS_SHOWN]
    )
