"""The coordinator invites an expert to their own account."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from experts.access import get_expert_for_user
from samen.accounts.permissions import coordinator_required

from .services import expert_invite


@require_POST
@coordinator_required
def expert_invite_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite the expert to their account by e-mail, or invite them again."""
    expert = get_expert_for_user(request, pk)
    try:
        invitation = expert_invite(expert=expert, sent_by=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("The invitation was sent to %(email)s.") % {"email": invitation.email},
        )
    return redirect("coordinator:expert_detail", pk=expert.pk)
