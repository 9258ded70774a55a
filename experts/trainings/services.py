"""Writes for training requests: an expert asks for a training, a coordinator marks it
handled. Both may be sent twice without harm."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from experts.models import Expert, Training, TrainingRequest, TrainingRequestStatus
from samen.accounts.models import User


@transaction.atomic
def training_request_submit(
    *, expert: Expert, training: Training | None, wish: str, note: str = ""
) -> tuple[TrainingRequest, bool]:
    """Record that ``expert`` asks for ``training``, or for the training described in
    ``wish``, with a ``note`` for the coordinator. Returns the request and whether it is new:
    while a request for the same training (or the same wish, whatever its capitals) is open,
    asking again returns that one and stores nothing. Raises ValidationError when neither a
    training nor a wish is given."""
    wish = " ".join(wish.split())
    note = note.strip()
    if training is None and not wish:
        raise ValidationError(
            {"wish": _("Choose a training from the list, or write which training you would like.")}
        )
    # One request of this expert at a time, so the same form sent twice at once is one.
    Expert.objects.select_for_update().only("pk").get(pk=expert.pk)
    open_requests = TrainingRequest.objects.filter(expert=expert, status=TrainingRequestStatus.OPEN)
    if training is not None:
        existing = open_requests.filter(training=training).first()
    else:
        existing = open_requests.filter(training__isnull=True, wish__iexact=wish).first()
    if existing is not None:
        return existing, False
    training_request = TrainingRequest(expert=expert, training=training, wish=wish, note=note)
    training_request.full_clean()
    training_request.save()
    return training_request, True


@transaction.atomic
def training_request_handle(*, training_request: TrainingRequest, by: User) -> TrainingRequest:
    """Mark a training request handled, by ``by``, now. A handled request stays as it was
    (the first coordinator's name and time)."""
    training_request = TrainingRequest.objects.select_for_update().get(pk=training_request.pk)
    if training_request.status == TrainingRequestStatus.HANDLED:
        return training_request
    training_request.status = TrainingRequestStatus.HANDLED
    training_request.handled_at = timezone.now()
    training_request.handled_by = by
    training_request.save(update_fields=["status", "handled_at", "handled_by"])
    return training_request
