from experts.models import Expert, Invitation


def latest_invitation(expert: Expert) -> Invitation | None:
    """The expert's newest invitation; its state reads the expert's account."""
    invitation = expert.invitations.select_related("sent_by").first()
    if invitation is not None:
        invitation.expert = expert
    return invitation
