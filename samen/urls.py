from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from samen.accounts import views as account_views

admin.site.site_header = _("Samen – administration")
admin.site.site_title = _("Samen administration")
admin.site.index_title = _("Reference lists, users, fee rates and limits")
# One login for every door: the admin site uses allauth's login (with its MFA and rate limits).
admin.site.login = login_required(admin.site.login)

urlpatterns = [
    path("", account_views.home, name="home"),
    path("health/", account_views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("beheer/", admin.site.urls),
    path("mijn/", include("experts.urls")),
    path("", include("participation.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
