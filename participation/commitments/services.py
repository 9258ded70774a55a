"""Writes of the expert's page of commitments."""

from django.db import transaction

from experts.models import Expert

from .models import CalendarFeed, new_calendar_token


@transaction.atomic
def calendar_feed_renew(*, expert: Expert) -> CalendarFeed:
    """Make the expert's calendar link, or replace it by a new one: the old link stops
    working at once (it answers 404)."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(expert=expert)
    if not created:
        feed.token = new_calendar_token()
        feed.full_clean()
        feed.save(update_fields=["token", "renewed_at"])
    return feed
