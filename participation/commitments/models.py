import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from experts.models import Expert


def new_calendar_token() -> str:
    """A random key of 43 URL-safe characters (256 bits): the link is the only key."""
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """An expert's personal calendar link (ICS). Whoever has the link reads the expert's
    meetings and placements without logging in, so the token is random and the expert can
    replace it: the old link then stops working."""

    expert = models.OneToOneField(
        Expert,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("expert"),
    )
    token = models.CharField(_("key"), max_length=64, unique=True, default=new_calendar_token)
    renewed_at = models.DateTimeField(_("made at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar link")
        verbose_name_plural = _("calendar links")

    def __str__(self) -> str:
        return str(self.expert)
