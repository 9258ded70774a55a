from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "samen.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from allauth.account.signals import user_logged_in as allauth_logged_in
        from django.contrib.auth.signals import user_logged_in

        from .middleware import mark_recorded_session, start_staff_session

        user_logged_in.connect(start_staff_session, dispatch_uid="samen_start_staff_session")
        allauth_logged_in.connect(mark_recorded_session, dispatch_uid="samen_mark_recorded_session")


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin app with Samen's admin site (``admin.site`` is a ``SamenAdminSite``).
    Named in INSTALLED_APPS by its full path; not the default config of this module."""

    default = False
    default_site = "samen.accounts.admin_site.SamenAdminSite"
