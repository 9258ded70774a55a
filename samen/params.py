"""Values from a request's query string or form, read in one place.

A view never reads ``request.GET`` or ``request.POST`` by hand (``tests/test_params.py`` checks
this): a form or a filter set reads what a user fills in; the few values a page takes on the
side (a page number, a flag, a return address, an id to start a form with) are read here. Each
helper turns a bad value into the default, a 404 or a 400, never into a server error:

- ``parse_id``: a database id written as text, or ``None``;
- ``id_param``: an id from the query string or form, or ``None`` when absent or bad;
- ``int_param``: a whole number within bounds, else the default;
- ``text_param``: short text without control characters, else the default;
- ``flag_param``: whether a flag is set;
- ``page_of``: one page of a list, the page number read safely;
- ``safe_next``: where to go back to, only within this site (and, if asked, within one page).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, QueryDict
from django.utils.http import url_has_allowed_host_and_scheme

# Ids are PostgreSQL bigints (DEFAULT_AUTO_FIELD); a larger number can name no row.
MAX_ID = 2**63 - 1
# A page number beyond this is no page of any list in Samen.
MAX_PAGE = 100_000


def parse_id(value: object) -> int | None:
    """A database id written as text: ASCII digits only, from 1 up to ``MAX_ID``; anything
    else (empty, signs, spaces, other scripts' digits, too large) is ``None``."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdecimal() and len(value) <= 19:
        number = int(value)
    else:
        return None
    return number if 1 <= number <= MAX_ID else None


def id_or_404(value: object) -> int:
    """``parse_id``, with a 404 for a value that can name no row."""
    number = parse_id(value)
    if number is None:
        raise Http404
    return number


def id_param(data: QueryDict, name: str) -> int | None:
    """An id from a query string or form (``request.GET``, ``request.POST``), or ``None``."""
    return parse_id(data.get(name, ""))


def int_param(
    data: QueryDict,
    name: str,
    *,
    default: int | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int | None:
    """A whole number (ASCII digits, an optional minus) within ``minimum`` and ``maximum``;
    the default when absent, malformed or out of bounds."""
    value = data.get(name, "")
    digits = value[1:] if value.startswith("-") else value
    if not (digits.isascii() and digits.isdecimal() and len(digits) <= 19):
        return default
    number = int(value)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        return default
    return number


def clean_text(value: str, *, max_length: int) -> str:
    """``value`` without control characters (NUL included: PostgreSQL refuses it), spaces
    at the ends stripped, cut at ``max_length``."""
    kept = "".join(
        " " if unicodedata.category(char) in {"Cc", "Cs"} else char for char in value[:max_length]
    )
    return kept.strip()


def text_param(data: QueryDict, name: str, *, default: str = "", max_length: int = 200) -> str:
    """Short text from a query string or form, cleaned by ``clean_text``."""
    value = data.get(name)
    if value is None:
        return default
    return clean_text(value, max_length=max_length)


def choice_param(data: QueryDict, name: str, choices: Sequence[str], *, default: str) -> str:
    """One of ``choices``, or the default for anything else."""
    value = data.get(name, "")
    return value if value in choices else default


def flag_param(data: QueryDict, name: str) -> bool:
    """Whether a flag (``?refresh=1``) is set: present and not empty or "0"."""
    return data.get(name, "") not in {"", "0"}


def page_of(request: HttpRequest, items, per_page: int) -> Page:
    """The page of ``items`` asked for in ``?page=``: the first for a bad number, the last for
    one beyond the end."""
    number = int_param(request.GET, "page", default=1, minimum=1, maximum=MAX_PAGE)
    return Paginator(items, per_page).get_page(number)


def safe_next(request: HttpRequest, default: str, *, within: str | None = None) -> str:
    """Where a button sends the user back to (``next`` in the form or query string): a path
    on this site, and only under ``within`` when given; ``default`` for anything else, so
    no link can send someone to another site."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if (
        url
        and clean_text(url, max_length=2000) == url
        and url.startswith("/")
        and (within is None or url.startswith(within))
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return url
    return default
