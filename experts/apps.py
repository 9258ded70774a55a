from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _invitation_accepted(sender, user, **kwargs) -> None:
    """allauth tells through a signal that someone set a password with an invitation's link."""
    from .invitations.services import invitations_accept

    invitations_accept(user=user)


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = _("Experts and organisations")

    def ready(self) -> None:
        from allauth.account.signals import password_reset

        password_reset.connect(_invitation_accepted, dispatch_uid="experts_invitation_accepted")
