"""The rows of the expert list, written in Python.

The list shows 25 experts with six columns; through the template engine the rows cost more than
the rest of the page together (every ``{{ }}``, ``{% url %}`` and ``{% blocktranslate %}`` is
resolved per row: about 1,200 Python calls a row, against 80 here). The markup is what
``_results.html`` wrote before; every value is escaped by ``format_html``."""

from collections.abc import Iterable

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from experts.models import Expert, Expertise, ExpertKind, ExpertStatus
from samen.formatting import format_date, format_hours

# A number no expert has, replaced by each expert's id in the reversed URL.
_PK = 987654321


def expert_rows(experts: Iterable[Expert]) -> SafeString:
    """One ``<tr>`` per expert (with ``hours_this_month``, ``open_networks`` and
    ``over_load`` set, as the list's queryset, ``add_open_networks`` and ``mark_over_load``
    do)."""
    detail_url = reverse("coordinator:expert_detail", args=[_PK])
    none = format_html('<span class="text-body-secondary">{}</span>', gettext("none"))
    over = format_html(' <span class="badge text-bg-warning">{}</span>', gettext("over"))
    hours_of = gettext("%(hours)s of %(available)s")
    # Model.get_FOO_display() hashes every choice on each call: 400 calls a row.
    kinds, expertise, statuses = (
        {value: str(label) for value, label in choices.choices}
        for choices in (ExpertKind, Expertise, ExpertStatus)
    )
    rows = []
    for expert in experts:
        city = format_html('<br><span class="small text-body-secondary">{}</span>', expert.city)
        networks = ", ".join(expert.open_networks)
        paused = ""
        if expert.paused_until:
            until = gettext("break until %(date)s") % {"date": format_date(expert.paused_until)}
            paused = format_html('<br><span class="small text-body-secondary">{}</span>', until)
        hours = hours_of % {
            "hours": format_hours(expert.hours_this_month),
            "available": format_hours(expert.availability_hours_per_month),
        }
        rows.append(
            (
                detail_url.replace(str(_PK), str(expert.pk)),
                expert.full_name,
                city if expert.city else "",
                kinds.get(expert.kind, expert.kind),
                expertise.get(expert.expertise, expert.expertise),
                networks or none,
                hours,
                over if expert.over_load else "",
                statuses.get(expert.status, expert.status),
                paused,
            )
        )
    if not rows:
        return format_html(
            '<tr><td colspan="6">{}</td></tr>', gettext("No experts match these filters.")
        )
    return mark_safe(  # noqa: S308 - every part is escaped by format_html_join
        format_html_join(
            "\n",
            '<tr><th scope="row"><a href="{}">{}</a>{}</th><td>{}</td><td>{}</td><td>{}</td>'
            '<td class="text-end">{}{}</td><td>{}{}</td></tr>',
            rows,
        )
    )
