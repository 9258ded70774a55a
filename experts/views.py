from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samen.accounts.permissions import expert_required

from .selectors import expert_for_user


@expert_required
def home(request: HttpRequest) -> HttpResponse:
    """The expert's own page: profile, availability, consents and trainings."""
    expert = expert_for_user(request.user)
    return render(request, "experts/home.html", {"expert": expert})
