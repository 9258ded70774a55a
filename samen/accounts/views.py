from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .models import Role


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each visitor to the home page of their own door."""
    user = request.user
    if user.role == Role.ADMIN or user.is_superuser:
        return redirect("admin:index")
    if user.is_coordinator:
        return redirect("participation:dashboard")
    if user.is_lead:
        return redirect("participation:lead_home")
    if user.is_expert:
        return redirect("experts:home")
    return render(request, "no_door.html", status=403)


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For the load balancer and docker-compose: the app answers and the database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
