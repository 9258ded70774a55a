from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from samen import health as health_checks

from .models import Door, Role

DOOR_HOMES = {
    Door.COORDINATOR: "coordinator:dashboard",
    Door.LEAD: "lead:home",
    Door.EXPERT: "expert:home",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each visitor to the home page of their own door."""
    user = request.user
    if user.role == Role.ADMIN or user.is_superuser:
        return redirect("admin:index")
    if user.door is None:
        return render(request, "no_door.html", status=403)
    return redirect(DOOR_HOMES[user.door])


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For the proxy, docker-compose and monitoring: the state of each part (database, cache,
    Celery broker) as JSON. 200 while the database answers, even with a part down (named in
    ``down``: the pages still answer); 503 when the database is down."""
    report, serving = health_checks.health()
    return JsonResponse(report, status=200 if serving else 503)
