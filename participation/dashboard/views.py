"""The coordinator's dashboard ("stand van zaken") and the list of hours waiting for approval."""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache as django_cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from experts.recruitment.forms import FOLLOW_UP_DUE
from participation.models import LadderLevel, MatchStatus
from participation.placements import selectors as placement_selectors
from participation.placements.forms import WITHOUT_PARENTS
from participation.registry.filters import (
    CONSENT_MISSING_PARENTAL,
    CONSENT_WAITING_PARENT,
    CONSENT_WITHDRAWN_LINKED,
    INACTIVE_YES,
    LOAD_OVER,
)
from participation.requests.forms import WAITING_YES
from samen.accounts.permissions import coordinator_required
from samen.formatting import format_hours, format_month
from samen.params import flag_param

from . import selectors
from .cache import dashboard_cache_key, forget_dashboard

WAITING_PER_PAGE = 50


def _url(name: str, *, query: dict | None = None) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(query)}" if query else url


def _linked(rows: list[dict], url_name: str) -> list[dict]:
    """The names under a signal, each with the page of that person, network or contact."""
    return [{**row, "url": reverse(url_name, args=[row["pk"]])} for row in rows]


def _signals(*, networks: list, today: datetime.date, now: datetime.datetime) -> list[dict]:
    """What needs action, each with a count, the first names (each linked to its own page)
    and where it is solved."""
    without_parents = [
        {"pk": network.pk, "name": network.name}
        for network in placement_selectors.without_parents(networks)
    ]
    over_names, over_total = selectors.experts_over_availability(today=today)
    inactive_names, inactive_total = selectors.inactive_experts(today=today, now=now)
    consent_names, consent_total = selectors.under_16_without_consent(today=today)
    parent_names, parent_total = selectors.waiting_for_parent(today=today)
    withdrawn_names, withdrawn_total = selectors.consent_withdrawn_still_linked(today=today)
    follow_up_names, follow_up_total = selectors.follow_ups_due(today=today)
    waiting = selectors.waiting_counts()
    expert_page = "coordinator:expert_detail"
    signals = [
        {
            "key": "without_parents",
            "label": _("Networks without parents"),
            "count": len(without_parents),
            "url": _url("coordinator:network_list", query={"parents": WITHOUT_PARENTS}),
            "names": _linked(
                without_parents[: selectors.SIGNAL_NAMES_SHOWN], "coordinator:network_detail"
            ),
        },
        {
            "key": "over_availability",
            "label": _("Experts over the hours they gave for this month"),
            "count": over_total,
            "url": _url("coordinator:expert_list", query={"load": LOAD_OVER}),
            "names": _linked(over_names, expert_page),
        },
        {
            "key": "inactive",
            "label": _("Experts without activity for %(days)s days")
            % {"days": settings.SAMEN_INACTIVE_AFTER_DAYS},
            "count": inactive_total,
            "url": _url("coordinator:expert_list", query={"inactive": INACTIVE_YES}),
            "names": _linked(inactive_names, expert_page),
        },
        {
            "key": "under_16_without_consent",
            "label": _("Experts under 16 without consent from a parent"),
            "count": consent_total,
            "url": _url("coordinator:expert_list", query={"consent": CONSENT_MISSING_PARENTAL}),
            "names": _linked(consent_names, expert_page),
        },
        {
            "key": "waiting_for_parent",
            "label": _("Under 16, a parent was asked: no consent yet"),
            "count": parent_total,
            "url": _url("coordinator:expert_list", query={"consent": CONSENT_WAITING_PARENT}),
            "names": _linked(parent_names, expert_page),
        },
        {
            "key": "consent_withdrawn_linked",
            "label": _("Consent to take part withdrawn, still linked"),
            "count": withdrawn_total,
            "url": _url("coordinator:expert_list", query={"consent": CONSENT_WITHDRAWN_LINKED}),
            "names": _linked(withdrawn_names, expert_page),
        },
        {
            "key": "follow_ups",
            "label": _("Recruitment contacts to get back to"),
            "count": follow_up_total,
            "url": _url("coordinator:recruitment_list", query={"follow_up": FOLLOW_UP_DUE}),
            "names": _linked(follow_up_names, "coordinator:recruitment_edit"),
        },
        {
            "key": "open_requests",
            "label": _("Requests waiting for a match"),
            "count": waiting["open_requests"],
            "url": _url("coordinator:request_list", query={"waiting": WAITING_YES}),
        },
        {
            "key": "proposed_matches",
            "label": _("Matches waiting for confirmation"),
            "count": waiting["proposed_matches"],
            "url": _url("coordinator:match_list", query={"status": MatchStatus.PROPOSED}),
        },
        {
            "key": "erasure_requests",
            "label": _("Requests to erase data"),
            "count": waiting["erasure_requests"],
            "url": _url("coordinator:erasure_list"),
        },
        {
            "key": "waiting_hours",
            "label": _("Hours waiting for approval"),
            "count": waiting["waiting_logs"],
            "detail": _("%(hours)s hours in total")
            % {"hours": format_hours(waiting["waiting_hours"])},
            "url": _url("coordinator:activity_waiting"),
        },
    ]
    for signal in signals:
        signal["more"] = signal["count"] - len(signal.get("names", []))
    return signals


def _ladder_chart(networks: list) -> dict:
    return {
        "labels": [network.name for network in networks],
        "datasets": [
            {"label": str(label), "data": [network.levels[index] for network in networks]}
            for index, label in enumerate(LadderLevel.labels)
        ],
        "axis": _("ExpEx and parents"),
    }


def _monthly_chart(series: list[dict]) -> dict:
    return {
        "labels": [format_month(row["month"]) for row in series],
        "experts": [row["experts"] for row in series],
        "hours": [float(row["hours"]) for row in series],
        "experts_label": _("Active experts"),
        "hours_label": _("Hours"),
    }


def _network_rows(networks: list) -> list[str]:
    """The rows of the networks table. Built here rather than in the template: the table has a
    row per network (200 in the reference data), and the template engine (and format_html)
    cost ten times more per row than the figures behind it. Every text is escaped; the
    numbers are whole numbers."""
    no_parents = f' <span class="badge text-bg-warning">{escape(_("no parents"))}</span>'
    too_large = f' <span class="badge text-bg-danger">{escape(_("too large"))}</span>'
    rows = []
    for network in networks:
        composition = network.composition
        counts = "".join(
            f'<td class="text-end">{int(count)}</td>'
            for count in [*network.circles, *network.levels]
        )
        shortfall = composition.shortfall
        still_needed = f"<strong>{int(shortfall)}</strong>" if shortfall else "0"
        if network.largest_meeting is None:
            meeting = "–"
        else:
            meeting = f"{int(network.largest_meeting)}/{int(network.group_size_limit)}"
            if network.meeting_too_large:
                meeting += too_large
        rows.append(
            mark_safe(  # noqa: S308 - the name and the badges are escaped, the rest are ints
                f'<tr><th scope="row">{escape(network.name)}'
                f"{no_parents if composition.without_parents else ''}</th>"
                f'<td class="text-end">{int(composition.youth)}/'
                f"{int(composition.target_youth)}</td>"
                f'<td class="text-end">{int(composition.parents)}/'
                f"{int(composition.target_parents)}</td>"
                f'<td class="text-end">{still_needed}</td>{counts}'
                f'<td class="text-end">{meeting}</td></tr>'
            )
        )
    return rows


def _dashboard_body() -> str:
    """The figures of the dashboard as HTML. Shared by every coordinator: no user data,
    no form, rendered without the request."""
    now = timezone.now()
    today = timezone.localdate(now)
    networks = selectors.network_overview(now=now)
    monthly = selectors.monthly_activity(today=today)
    return render_to_string(
        "participation/dashboard/body.html",
        {
            "computed_at": now,
            "networks": networks,
            "network_rows": _network_rows(networks),
            "ladder_levels": LadderLevel.choices,
            "signals": _signals(networks=networks, today=today, now=now),
            "monthly": monthly,
            "ladder_chart": _ladder_chart(networks),
            "monthly_chart": _monthly_chart(monthly),
        },
    )


@coordinator_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The coordinator's morning screen: the state of every network and what needs action.

    The figures are kept for all coordinators until something they count changes
    (dashboard/cache.py) or ``SAMEN_DASHBOARD_CACHE_SECONDS`` pass; ``?refresh=1`` computes
    them again."""
    if flag_param(request.GET, "refresh"):
        forget_dashboard()
    key = dashboard_cache_key(get_language())
    body = django_cache.get(key)
    if body is None:
        body = _dashboard_body()
        django_cache.set(key, body, settings.SAMEN_DASHBOARD_CACHE_SECONDS)
    return render(request, "participation/dashboard/page.html", {"body": body})
