"""calendar_feed_renew: the expert's calendar link, made once and replaced on request."""

from participation.commitments.models import CalendarFeed
from participation.commitments.services import calendar_feed_renew


def test_renewing_replaces_the_token_and_keeps_one_row(expert, other_expert):
    first = calendar_feed_renew(expert=expert).token
    other = calendar_feed_renew(expert=other_expert).token
    second = calendar_feed_renew(expert=expert).token
    assert len({first, second, other}) == 3
    assert CalendarFeed.objects.filter(expert=expert).count() == 1
    assert CalendarFeed.objects.get(expert=other_expert).token == other
