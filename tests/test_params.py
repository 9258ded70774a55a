"""Values a page takes on the side (``samen/params.py``): a bad value becomes the default, a 404
or a 400, never an error; and no view reads ``request.GET`` or ``request.POST`` by hand."""

import ast
from pathlib import Path

import pytest
from django.http import Http404, QueryDict
from django.test import RequestFactory
from hypothesis import given, settings
from hypothesis import strategies as st

from samen.params import (
    MAX_ID,
    choice_param,
    clean_text,
    flag_param,
    id_or_404,
    id_param,
    int_param,
    page_of,
    parse_id,
    safe_next,
    text_param,
)

ROOT = Path(__file__).resolve().parent.parent


def _query(**values) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in values.items():
        query[key] = value
    return query


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        ("42", 42),
        (str(MAX_ID), MAX_ID),
        (7, 7),
        ("0", None),
        ("-3", None),
        ("+3", None),
        (" 3", None),
        ("3 ", None),
        ("", None),
        ("abc", None),
        ("²", None),  # a digit to str.isdigit(), not to int()
        ("٣", None),  # an Arabic-Indic digit: int() reads it, an id is ASCII
        (str(MAX_ID + 1), None),
        ("9" * 40, None),
        ("1e3", None),
        ("3\x00", None),
        (True, None),
        (None, None),
        (3.0, None),
    ],
)
def test_parse_id(value, expected):
    assert parse_id(value) == expected


def test_id_or_404():
    assert id_or_404("12") == 12
    with pytest.raises(Http404):
        id_or_404("12abc")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_parse_id_never_raises_and_is_a_row_id(value):
    number = parse_id(value)
    assert number is None or (1 <= number <= MAX_ID and str(number) == value.lstrip("0"))


def test_id_param_reads_one_value():
    assert id_param(_query(expert="5"), "expert") == 5
    assert id_param(_query(expert="x"), "expert") is None
    assert id_param(_query(), "expert") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("7", 7), ("-2", -2), ("0", 0), ("x", 10), ("", 10), ("-", 10), ("11", 10), ("-9", 10)],
)
def test_int_param_within_bounds_or_default(value, expected):
    assert int_param(_query(n=value), "n", default=10, minimum=-5, maximum=10) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_int_param_never_raises(value):
    number = int_param(_query(n=value), "n", default=None, minimum=1, maximum=100)
    assert number is None or 1 <= number <= 100


def test_text_param_removes_control_characters_and_cuts():
    assert text_param(_query(q=" a\x00b\x1fc "), "q") == "a b c"
    assert text_param(_query(q="x" * 500), "q", max_length=10) == "x" * 10
    assert text_param(_query(), "q", default="none") == "none"
    assert clean_text("één\n", max_length=20) == "één"


def test_choice_param_only_known_values():
    assert choice_param(_query(f="xlsx"), "f", ["csv", "xlsx"], default="csv") == "xlsx"
    assert choice_param(_query(f="exe"), "f", ["csv", "xlsx"], default="csv") == "csv"


@pytest.mark.parametrize(
    ("value", "expected"), [("1", True), ("yes", True), ("", False), ("0", False)]
)
def test_flag_param(value, expected):
    assert flag_param(_query(refresh=value), "refresh") is expected


@pytest.mark.parametrize(
    ("value", "page"), [("2", 2), ("999999999999999999999", 1), ("x", 1), ("-1", 1), ("9", 3)]
)
def test_page_of_reads_the_page_number_safely(value, page):
    request = RequestFactory().get("/", {"page": value})
    assert page_of(request, list(range(25)), 10).number == page


@pytest.mark.parametrize(
    ("next_url", "within", "expected"),
    [
        ("/coordinator/uitnodigingen/?page=2", None, "/coordinator/uitnodigingen/?page=2"),
        (
            "/coordinator/uitnodigingen/?page=2",
            "/coordinator/uitnodigingen/",
            "/coordinator/uitnodigingen/?page=2",
        ),
        ("/coordinator/", "/coordinator/uitnodigingen/", "/default/"),
        ("https://evil.example/", None, "/default/"),
        ("//evil.example/", None, "/default/"),
        ("/\\evil.example/", None, "/default/"),
        ("javascript:alert(1)", None, "/default/"),
        ("/coordinator/\x00", None, "/default/"),
        ("", None, "/default/"),
    ],
)
def test_safe_next_stays_on_this_site(next_url, within, expected):
    request = RequestFactory().post("/", {"next": next_url})
    assert safe_next(request, "/default/", within=within) == expected


def test_safe_next_reads_the_query_string_too():
    request = RequestFactory().get("/", {"next": "/mijn/"})
    assert safe_next(request, "/default/") == "/mijn/"


# The rule: views read side values through samen/params.py, forms and filter sets.

READS = {"get", "getlist", "__getitem__", "items", "values", "keys", "lists", "dict"}


def _code_files() -> list[Path]:
    skip = {".venv", "node_modules", "tests", "mutants", "staticfiles", "migrations", "bench"}
    return [
        path
        for path in ROOT.rglob("*.py")
        if not skip.intersection(path.relative_to(ROOT).parts) and path.name != "params.py"
    ]


def _hand_reads(tree: ast.AST) -> list[int]:
    """Lines where ``request.GET`` / ``request.POST`` is read by key, or ``.isdigit()`` is
    used to check a number."""
    lines = []
    for node in ast.walk(tree):
        target = None
        if isinstance(node, ast.Subscript):
            target = node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in READS
        ):
            target = node.func.value
        if (
            isinstance(target, ast.Attribute)
            and target.attr in {"GET", "POST"}
            and isinstance(target.value, ast.Name)
            and target.value.id == "request"
        ):
            lines.append(node.lineno)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"isdigit", "isnumeric"}
        ):
            lines.append(node.lineno)
    return lines


def test_the_rule_finds_a_hand_read():
    code = (
        "def view(request):\n"
        "    a = request.GET.get('x')\n"
        "    b = request.POST['y']\n"
        "    c = v.isdigit()\n"
    )
    assert _hand_reads(ast.parse(code)) == [2, 3, 4]


def test_no_view_reads_request_values_by_hand():
    found = []
    for path in _code_files():
        for line in _hand_reads(ast.parse(path.read_text(), str(path))):
            found.append(f"{path.relative_to(ROOT)}:{line}")
    assert not found, f"read these through samen/params.py or a form: {found}"
