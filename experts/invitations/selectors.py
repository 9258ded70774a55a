from django.core import signing
from django.db.models import Count

from experts.models import Expert, Invitation, InvitationState

from .models import LINK_SALT, InvitationQuerySet


def latest_invitation(expert: Expert) -> Invitation | None:
    """The expert's newest invitation; its state reads the expert's account."""
    invitation = expert.invitations.select_related("sent_by").first()
    if invitation is not None:
        invitation.expert = expert
    return invitation


def invitation_for_link(token: str) -> tuple[Invitation | None, bool]:
    """The invitation a link's code names, and whether it is the link of the e-mail sent last.
    (None, False) for a code that was not made by Samen or whose invitation is gone."""
    try:
        value = signing.Signer(salt=LINK_SALT).unsign(token)
        pk, send_count = (int(part) for part in value.split("."))
    except (signing.BadSignature, ValueError):
        return None, False
    invitation = Invitation.objects.select_related("expert__user", "sent_by").filter(pk=pk).first()
    if invitation is None:
        return None, False
    return invitation, invitation.send_count == send_count


def invitations_overview():
    """Every invitation for the coordinator's overview, newest first, with its state, the
    expert, their account and who sent it, in one query."""
    return (
        Invitation.objects.with_state()
        .select_related("expert__user", "sent_by")
        .order_by("-sent_at", "-pk")
    )


def invitation_state_counts(invitations: InvitationQuerySet) -> dict[str, int]:
    """How many of these invitations (with their state) are in each state, also those with
    none."""
    counts = dict(invitations.order_by().values_list("current_state").annotate(count=Count("pk")))
    return {state: counts.get(state, 0) for state in InvitationState.values}
