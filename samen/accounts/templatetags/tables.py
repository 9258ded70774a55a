"""``{% wide_table %}``: a table in a scroll region that a keyboard can reach.

A block tag, because Django's ``{% include %}`` cannot wrap markup and the region must wrap the
table. The markup lives in ``templates/partials/wide_table.html``."""

from django import template
from django.template.loader import render_to_string

register = template.Library()


@register.simple_block_tag
def wide_table(content: str, labelledby: str) -> str:
    """Wrap ``content`` (one table) in a focusable region named by the element with the id
    ``labelledby``: the table's caption, or the heading of its section.

    Usage: ``{% wide_table "experts-caption" %}<table>…</table>{% endwide_table %}``."""
    return render_to_string(
        "partials/wide_table.html", {"table": content, "labelledby": labelledby}
    )
