"""Who may open which object of the experts app, one helper per object type, for every door.

Views fetch objects through these helpers only, so each rule lives here once. A helper answers
404 when the user may not see the object (the page does not exist for them) and raises
PermissionDenied when they may see it but not change it."""

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from experts.models import (
    AwayPeriod,
    Consent,
    Expert,
    Invitation,
    Organisation,
    PendingImport,
    RecruitmentContact,
    TrainingRequest,
)


def experts_visible_to(user, experts: QuerySet[Expert] | None = None) -> QuerySet[Expert]:
    """A coordinator sees every expert, an expert only their own record, anyone else none (a
    lead sees experts only through ``shared_profiles``)."""
    experts = Expert.objects.all() if experts is None else experts
    if user.is_coordinator:
        return experts
    if user.is_expert:
        return experts.filter(user=user)
    return experts.none()


def get_expert_for_user(
    request: HttpRequest, pk: int, *, queryset: QuerySet[Expert] | None = None
) -> Expert:
    """A coordinator sees and changes every expert; an expert only their own record. A lead
    never gets an expert's record: what a lead may see comes from
    ``experts.profiles.selectors.shared_profiles``, which leaves out the rest."""
    return get_object_or_404(experts_visible_to(request.user, queryset), pk=pk)


def own_expert(request: HttpRequest) -> Expert | None:
    """The record behind the logged-in expert's account (None without one), with
    ``is_waiting_for_parent``: under 16 without a parent's consent to take part today
    (``ExpertQuerySet.missing_parental_consent``). Read once per request: the door's check
    (``experts.middleware``) reads it first, and the page gets the same record."""
    if not hasattr(request, "_own_expert"):
        missing = Expert.objects.filter(pk=OuterRef("pk")).missing_parental_consent(
            on=timezone.localdate()
        )
        request._own_expert = (
            Expert.objects.filter(user=request.user)
            .annotate(is_waiting_for_parent=Exists(missing))
            .first()
        )
    return request._own_expert


def get_own_expert(request: HttpRequest) -> Expert:
    """The expert record behind the logged-in expert's own account, for the pages of their
    own door. 404 for anyone else, and for an expert's account not linked to a record yet."""
    if not request.user.is_expert:
        raise Http404
    expert = own_expert(request)
    if expert is None:
        raise Http404
    return expert


def get_away_period_for_user(request: HttpRequest, pk: int) -> AwayPeriod:
    """An away period goes with its expert: the expert sees and changes their own, a
    coordinator sees every one, a lead none."""
    periods = AwayPeriod.objects.filter(expert__in=experts_visible_to(request.user))
    return get_object_or_404(periods, pk=pk)


def get_consent_for_user(request: HttpRequest, pk: int) -> Consent:
    """A consent goes with its expert: a coordinator sees every consent, an expert their own
    (to give and withdraw it in their own door), a lead none."""
    consents = Consent.objects.select_related("expert").filter(
        expert__in=experts_visible_to(request.user)
    )
    return get_object_or_404(consents, pk=pk)


def get_organisation_for_user(request: HttpRequest, pk: int) -> Organisation:
    """Recruitment and the list of organisations are the coordinator's work: only a
    coordinator opens an organisation. A lead sees their networks' member organisations on the
    network's own page; an expert has no use for them."""
    if not request.user.is_coordinator:
        raise Http404
    return get_object_or_404(Organisation, pk=pk)


def get_recruitment_contact_for_user(request: HttpRequest, pk: int) -> RecruitmentContact:
    """Only a coordinator opens a recruitment contact (who was approached, and what it brought)."""
    if not request.user.is_coordinator:
        raise Http404
    return get_object_or_404(RecruitmentContact.objects.select_related("organisation"), pk=pk)


def get_invitation_for_user(request: HttpRequest, pk: int) -> Invitation:
    """Inviting people is the coordinator's work: only a coordinator opens an invitation (to
    send it again or withdraw it). The expert sees their invitation through its link only."""
    if not request.user.is_coordinator:
        raise Http404
    return get_object_or_404(Invitation, pk=pk)


def get_pending_import_for_user(request: HttpRequest) -> PendingImport | None:
    """The import the user uploaded and has not yet confirmed or cancelled, if it is younger
    than an hour. Only their own: another coordinator (an admin too) never opens it, because
    it is looked up by its owner and no URL names it. None when there is none."""
    if not request.user.is_coordinator:
        raise Http404
    return PendingImport.objects.current(now=timezone.now()).filter(owner=request.user).first()


def get_training_request_for_user(request: HttpRequest, pk: int) -> TrainingRequest:
    """Handling training requests is the coordinator's work: only a coordinator opens one. An
    expert sees their own requests on their development page, where no id is used."""
    if not request.user.is_coordinator:
        raise Http404
    return get_object_or_404(TrainingRequest.objects.select_related("expert", "training"), pk=pk)
