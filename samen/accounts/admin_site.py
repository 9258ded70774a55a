"""The admin site, behind the one login every door uses.

Django's admin has its own login form. Samen does not show it: it has no rate limit and no
second step, so it would be a second way in next to allauth's login."""

from functools import update_wrapper

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class SamenAdminSite(admin.AdminSite):
    """Django's admin site for staff. Everyone else is turned away before Django's own check,
    which would send them to the admin's login form."""

    site_header = _("Samen – administration")
    site_title = _("Samen administration")
    index_title = _("Reference lists, users, fee rates and limits")

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not self.has_permission(request):
                return self._turn_away(request, request.get_full_path())
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, inner)

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        """Never a password form: staff go to the index, others are turned away."""
        if self.has_permission(request):
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        return self._turn_away(request, reverse("admin:index", current_app=self.name))

    def _turn_away(self, request: HttpRequest, next_path: str) -> HttpResponse:
        """Anonymous visitors log in through allauth and come back; a logged-in user without
        staff rights has another door (403, as every other door answers)."""
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(next_path, settings.LOGIN_URL)
