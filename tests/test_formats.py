"""One format per language for dates, hours and euros: in pages, e-mails and exports.

Dutch: "28 november 2023", "2,5" hours, "€ 3,25". English: "28 November 2023", "2.5", "€3.25".
The formats live in samen/formats/<language>/formats.py and samen/formatting.py; the last tests
read the templates and the code, so that a new hand-written format ("d-m-Y", "€ {{ x }}") fails.
"""

import csv
import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from experts.models import Expert
from participation.requests.tasks import match_notify_expert
from samen.celery import app as celery_app
from samen.formatting import (
    format_date,
    format_datetime,
    format_euro,
    format_hours,
    format_month,
    format_number,
)
from tests.factories import (
    ActivityLogFactory,
    ExpertFactory,
    FeeRateFactory,
    MatchFactory,
    RequestFactory,
)

ROOT = Path(__file__).resolve().parent.parent
DAY = datetime.date(2023, 11, 28)
NOON_ON_DAY = timezone.make_aware(datetime.datetime(2023, 11, 28, 12))


@pytest.fixture
def _back_to_dutch():
    """The locale middleware leaves a request's language active in this thread."""
    yield
    translation.deactivate()


# --- the rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", ["28 november 2023", "1 maart 2024 14:30", "maart 2024"]),
        ("en", ["28 November 2023", "1 March 2024 14:30", "March 2024"]),
    ],
)
def test_a_date_has_one_format_per_language(language, expected):
    moment = timezone.make_aware(datetime.datetime(2024, 3, 1, 14, 30))
    with translation.override(language):
        got = [format_date(DAY), format_datetime(moment), format_month(datetime.date(2024, 3, 1))]
    assert got == expected


def test_a_moment_is_dated_in_samens_time_zone():
    # 23:30 in Amsterdam on 28 November is 22:30 UTC: still the 28th for the reader.
    late = datetime.datetime(2023, 11, 28, 22, 30, tzinfo=datetime.UTC)
    with translation.override("nl"):
        assert format_date(late) == "28 november 2023"
        assert format_datetime(late) == "28 november 2023 23:30"


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("nl", Decimal("3.00"), "3"),
        ("nl", Decimal("2.50"), "2,5"),
        ("nl", Decimal("0.25"), "0,25"),
        ("nl", Decimal("10"), "10"),
        ("nl", Decimal("1250.5"), "1.250,5"),
        ("en", Decimal("2.50"), "2.5"),
        ("en", Decimal("1250.5"), "1,250.5"),
        ("nl", None, ""),
    ],
)
def test_hours_are_written_without_trailing_zeros(language, value, expected):
    with translation.override(language):
        assert format_hours(value) == expected
        assert format_number(value) == expected


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("nl", Decimal("3.25"), "€ 3,25"),
        ("nl", Decimal("3"), "€ 3,00"),
        ("nl", Decimal("1900"), "€ 1.900,00"),
        ("nl", Decimal("0.125"), "€ 0,13"),
        ("nl", Decimal("-3.25"), "-€ 3,25"),
        ("en", Decimal("3.25"), "€3.25"),
        ("en", Decimal("1900"), "€1,900.00"),
        ("nl", None, ""),
    ],
)
def test_euros_have_one_format_per_language(language, value, expected):
    with translation.override(language):
        assert format_euro(value) == expected


def test_template_filters_use_the_same_rules():
    template = Template(
        "{% load formatting %}{{ a|euro }} {{ h|hours }} {{ p|number }} {{ d|date }}"
    )
    context = Context({"a": Decimal("3.25"), "h": Decimal("2.50"), "p": Decimal("7.10"), "d": DAY})
    with translation.override("nl"):
        assert template.render(context) == "€ 3,25 2,5 7,1 28 november 2023"
    with translation.override("en"):
        assert template.render(context) == "€3.25 2.5 7.1 28 November 2023"


def test_years_and_ids_are_never_grouped():
    """The thousand separator is off by default: only euros and hours group on purpose."""
    with translation.override("nl"):
        assert Template("{{ year }}").render(Context({"year": 2024})) == "2024"


@pytest.mark.django_db
def test_a_fee_rate_names_its_amount_in_euros():
    rate = FeeRateFactory(name="Vrijwilligersvergoeding", amount=Decimal("3.25"))
    with translation.override("nl"):
        assert "€ 3,25" in str(rate)
        assert "3.25" not in str(rate)


# --- pages, e-mails and exports ---------------------------------------------------------------


@pytest.mark.django_db
def test_request_page_writes_dates_and_hours_in_dutch(coordinator_client):
    request_ = RequestFactory(
        starts_on=DAY, respond_by=datetime.date(2024, 3, 1), expected_hours=Decimal("2.5")
    )
    MatchFactory(request=request_, hours=Decimal("3.0"), expert_confirmed_at=NOON_ON_DAY)
    body = coordinator_client.get(reverse("coordinator:request_detail", args=[request_.pk]))
    content = body.content.decode()
    assert content.count("28 november 2023") == 2  # the request's start, the expert's yes
    assert "1 maart 2024" in content
    assert "2,5 uur" in content
    assert "3 uur" in content
    for stray in ("28-11-2023", "28 Nov 2023", "1 Mrt 2024", "2.5", "3,0 uur"):
        assert stray not in content


@pytest.mark.django_db
@pytest.mark.usefixtures("_back_to_dutch")
def test_request_page_writes_dates_and_hours_in_english(coordinator_client):
    request_ = RequestFactory(starts_on=DAY, expected_hours=Decimal("2.5"))
    MatchFactory(request=request_, expert_confirmed_at=NOON_ON_DAY)
    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = coordinator_client.get(
        reverse("coordinator:request_detail", args=[request_.pk])
    ).content.decode()
    assert content.count("28 November 2023") == 2
    assert "2.5 hours" in content
    assert "28 Nov 2023" not in content


@pytest.mark.django_db
def test_hours_waiting_page_writes_euros_and_hours_in_dutch(coordinator_client):
    ActivityLogFactory(hours=Decimal("2.50"), travel_costs=Decimal("3.25"), date=DAY)
    content = coordinator_client.get(reverse("coordinator:activity_waiting")).content.decode()
    assert "€ 3,25" in content
    assert ">2,5<" in content
    assert "28 november 2023" in content
    assert "3.25" not in content
    assert "2,50" not in content


@pytest.fixture
def _eager():
    was_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = was_eager


@pytest.mark.django_db
@pytest.mark.usefixtures("_eager")
def test_match_e_mail_is_written_in_the_recipients_formats():
    request_ = RequestFactory(respond_by=DAY)
    match = MatchFactory(request=request_, hours=Decimal("2.5"))
    match_notify_expert.apply(args=(match.pk,)).get()
    body = mail.outbox[0].body
    assert "28 november 2023" in body
    assert "2,5 uur" in body


def _export_expert() -> Expert:
    expert = ExpertFactory(first_name="Petra", availability_hours_per_month=Decimal("2.5"))
    Expert.objects.filter(pk=expert.pk).update(created_at=NOON_ON_DAY)
    return expert


@pytest.mark.django_db
def test_csv_export_writes_dates_and_hours_as_the_pages_do(coordinator_client):
    _export_expert()
    response = coordinator_client.get(reverse("coordinator:expert_export"), {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text), delimiter=";"))
    cells = dict(zip(header, row, strict=True))
    assert cells["Toegevoegd op"] == "28 november 2023"
    assert cells["Beschikbare uren per maand"] == "2,5"


@pytest.mark.django_db
def test_xlsx_export_holds_real_dates_shown_in_the_same_format(coordinator_client):
    _export_expert()
    response = coordinator_client.get(reverse("coordinator:expert_export"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    added = sheet.cell(row=2, column=header.index("Toegevoegd op") + 1)
    hours = sheet.cell(row=2, column=header.index("Beschikbare uren per maand") + 1)
    assert added.value.date() == DAY
    assert added.number_format == "d mmmm yyyy"
    assert hours.value == 2.5


# --- no format written by hand ----------------------------------------------------------------

TEMPLATE_FOLDERS = ["templates", "experts", "learning_networks", "participation", "evaluations"]
# Named formats from samen/formats/<language>/formats.py; anything else is a format by hand.
NAMED = {"DATE_FORMAT", "DATETIME_FORMAT", "YEAR_MONTH_FORMAT", "MONTH_DAY_FORMAT", "TIME_FORMAT"}
_TEMPLATE_DATE = re.compile(r"\|\s*(?:date|time)\s*:\s*[\"']([^\"']*)[\"']")
_TEMPLATE_NUMBER = re.compile(r"floatformat\s*:\s*[\"']?-")
_TEMPLATE_EURO = re.compile(r"€\s*\{\{|\}\}\s*€")
_PYTHON_DATE = re.compile(
    r"\.strftime\(|date_format\([^)]*,\s*[\"'](?!(?:" + "|".join(NAMED) + r")[\"'])"
)
_PYTHON_EURO = re.compile(r"f[\"'][^\"']*€\s*\{|\{[^}]*\}\s*€")
_PYTHON_NUMBER = re.compile(r"\bfloatformat\(")
CODE_FOLDERS = ["samen", "experts", "learning_networks", "participation", "evaluations"]


def _templates() -> list[Path]:
    found = []
    for folder in TEMPLATE_FOLDERS:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".html", ".txt"} and "templates" in path.parts:
                found.append(path)
    return found


def _code() -> list[Path]:
    return [
        path
        for folder in CODE_FOLDERS
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts and path.name != "formatting.py"
    ]


def test_the_checks_find_the_templates_and_the_code():
    assert len(_templates()) > 30
    assert len(_code()) > 50


def _stray(paths: list[Path], patterns: list[re.Pattern], allowed=lambda match: False) -> list:
    found = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for pattern in patterns:
                for match in pattern.finditer(line):
                    if not allowed(match):
                        found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


def test_templates_write_no_date_or_number_format_by_hand():
    stray = _stray(
        _templates(),
        [_TEMPLATE_DATE, _TEMPLATE_NUMBER, _TEMPLATE_EURO],
        allowed=lambda match: match.re is _TEMPLATE_DATE and match.group(1) in NAMED,
    )
    assert not stray, (
        'Write dates with |date (or |date:"DATETIME_FORMAT"), hours with |hours, numbers with '
        "|number and money with |euro ({% load formatting %}):\n" + "\n".join(stray)
    )


def test_code_writes_no_date_or_money_format_by_hand():
    stray = _stray(_code(), [_PYTHON_DATE, _PYTHON_EURO, _PYTHON_NUMBER])
    assert not stray, (
        "Use format_date, format_datetime, format_month, format_hours, format_number or "
        "format_euro from samen/formatting.py:\n" + "\n".join(stray)
    )


def test_the_checks_catch_a_format_by_hand():
    samples = {
        _TEMPLATE_DATE: '{{ day|date:"d-m-Y" }}',
        _TEMPLATE_NUMBER: '{{ hours|floatformat:"-1" }}',
        _TEMPLATE_EURO: "€ {{ amount }}",
        _PYTHON_DATE: 'day.strftime("%d-%m-%Y")',
        _PYTHON_EURO: 'f"€ {self.amount}"',
        _PYTHON_NUMBER: "floatformat(value, -1)",
    }
    for pattern, sample in samples.items():
        assert pattern.search(sample), sample
    assert not _PYTHON_DATE.search('date_format(day, "YEAR_MONTH_FORMAT")')
