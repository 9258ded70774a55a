"""``{% memo key ... %}…{% endmemo %}``: render a piece of a template once per process and key.

``base.html`` is on every page, and most of it (the navigation, the links to static files, the
footer) is the same for every visitor of a door in one language: rendering it again for each
request was a third of the work of the cheapest page. ``memo`` keeps the rendered text per
compiled template, keyed by the values of its arguments and the active language.

The rule for using it: what is inside may depend only on the keys and the language. Never put a
``{% csrf_token %}``, a user's data or the request's query string inside; keep those outside the
block (see ``base.html``). With the cached template loader (on unless DEBUG), a template is
compiled once per process, so each worker keeps its own small memo."""

from django import template
from django.template.base import FilterExpression, Node, NodeList
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

# Enough for every door, language and navigation section; a bound, in case a key is misused.
MAX_ENTRIES = 256


class MemoNode(Node):
    def __init__(self, nodelist: NodeList, keys: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.keys = keys
        self.rendered: dict[tuple, str] = {}

    def render(self, context: template.Context) -> str:
        key = (get_language(), *(str(k.resolve(context)) for k in self.keys))
        try:
            return self.rendered[key]
        except KeyError:
            pass
        text = mark_safe(self.nodelist.render(context))  # noqa: S308 - rendered by the template engine
        if len(self.rendered) < MAX_ENTRIES:
            self.rendered[key] = text
        return text


@register.tag
def memo(parser: template.base.Parser, token: template.base.Token) -> MemoNode:
    """``{% memo door nav_path %}…{% endmemo %}``: the keys are template expressions."""
    keys = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, keys)
