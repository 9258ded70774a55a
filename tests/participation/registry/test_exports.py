"""The export of the expert list read back as Dutch Excel and a spreadsheet program read it:
the CSV with the csv module (``;``, the byte-order mark, every field quoted), the XLSX with
openpyxl. Hostile text in every text column comes back as the exported text, one row per
expert, under a Dutch header; formulas come back with the apostrophe in front. And every
export is logged: who, when, which filter, how many rows, which format."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from experts.models import Expert, ExpertKind, ExpertPreferredRole, ExpertRole
from participation.models import ExportKind, ExportLog
from samen.accounts.models import User
from samen.formatting import format_date
from samen.spreadsheets import spreadsheet_text
from tests.factories import (
    ActivityLogFactory,
    ExpertFactory,
    LearningNetworkFactory,
    PlacementFactory,
)

DUTCH_HEADER = [
    "Voornaam",
    "Achternaam",
    "E-mailadres",
    "Telefoonnummer",
    "Woonplaats",
    "Soort",
    "Ervaring",
    "Status",
    "Beschikbare uren per maand",
    "Uren deze maand",
    "Leernetwerken",
    "Voorkeursrollen",
    "Toegevoegd op",
]
TEXT_COLUMNS = ["first_name", "last_name", "email", "phone", "city"]
NETWORK_COLUMN = DUTCH_HEADER.index("Leernetwerken")
# What someone could type or paste into a text field, and what the export's cell holds. At
# most 30 characters, the length of a phone number, so every column holds the same text.
HOSTILE = [
    ('=HYPERLINK("http://x";"klik")', '\'=HYPERLINK("http://x";"klik")'),
    ("+SUM(1;2)", "'+SUM(1;2)"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\n=1+1"),
    ("  =1+1", "'  =1+1"),
    ('"=1+1', "'\"=1+1"),
    ("' =1+1", "'' =1+1"),
    ("\tTab vooraan", "'\tTab vooraan"),
    ("Jan; Piet; Klaas", "Jan; Piet; Klaas"),
    ('Zeg "hoi";"doei"', 'Zeg "hoi";"doei"'),
    ("regel 1\nregel 2", "regel 1\nregel 2"),
    ("regel 1\r\nregel 2", "regel 1\nregel 2"),
    ("Leiden\x0bOegstgeest", "Leiden\nOegstgeest"),
    ("pagina\x0cnog een", "pagina\nnog een"),
    ("\x0b=1+1", "'\n=1+1"),
    ("\x01\x02=1+1", "'=1+1"),
    ("bel\x07 \x1bme", "bel me"),
    ("Zoë 🌈 ✨ Ærø", "Zoë 🌈 ✨ Ærø"),
    ("+31 6 12345678", "+31 6 12345678"),
    ("a,b,c", "a,b,c"),
]


def _field_length(name: str) -> int:
    return Expert._meta.get_field(name).max_length


def _expert(number: int, text: str, *, long: bool = False) -> Expert:
    """An expert with ``text`` in every text column (or, when ``long``, each column filled to
    its length), in a network of that name, with two preferred roles and hours this month.
    Their available hours, ``number`` and a half, tell the rows apart."""
    fields = {name: ("x" * _field_length(name) if long else text) for name in TEXT_COLUMNS}
    expert = ExpertFactory(availability_hours_per_month=Decimal(number) + Decimal("0.5"), **fields)
    network = "n" * 150 if long else text
    PlacementFactory(expert=expert, network=LearningNetworkFactory(name=network))
    ExpertPreferredRole.objects.create(expert=expert, role=ExpertRole.EDUCATION)
    ExpertPreferredRole.objects.create(expert=expert, role=ExpertRole.CONNECTING)
    ActivityLogFactory(expert=expert, hours=Decimal("1.25"))
    return expert


@pytest.fixture
def hostile(db) -> list[tuple[Expert, list[str]]]:
    """Every hostile text in its own expert, plus one with every column at its full length;
    with the text cells each export must hold: the text columns and then the network."""
    made = [
        (_expert(number, raw), [expected] * (len(TEXT_COLUMNS) + 1))
        for number, (raw, expected) in enumerate(HOSTILE)
    ]
    long = _expert(len(HOSTILE), "", long=True)
    made.append((long, [getattr(long, name) for name in TEXT_COLUMNS] + ["n" * 150]))
    return made


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8")[1:]
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def _export(client, fmt: str):
    response = client.get(reverse("coordinator:expert_export"), {"format": fmt})
    assert response.status_code == 200
    return response


def test_csv_export_reads_back_cell_for_cell(coordinator_client, hostile):
    rows = _csv_rows(_export(coordinator_client, "csv"))

    assert rows[0] == DUTCH_HEADER
    assert len(rows) == len(hostile) + 1
    # One row per expert, told apart by their available hours.
    by_hours = {row[8]: row for row in rows[1:]}
    assert len(by_hours) == len(hostile)
    with translation.override("nl"):
        added = format_date(timezone.localdate())
        for number, (expert, texts) in enumerate(hostile):
            row = by_hours[f"{number},5"]
            assert row[:5] + [row[NETWORK_COLUMN]] == texts, repr(expert.first_name)
            assert row[5:8] == [
                expert.get_kind_display(),
                expert.get_expertise_display(),
                expert.get_status_display(),
            ]
            assert row[9] == "1,25"
            assert row[11] == "Onderwijs, Verbinden"
            assert row[12] == added


def test_csv_export_quotes_every_field_so_a_semicolon_stays_in_its_cell(coordinator_client, db):
    ExpertFactory(first_name="Jan;Piet", last_name="=1+1;2", email="a@samen.test", phone="")
    body = b"".join(_export(coordinator_client, "csv").streaming_content).decode("utf-8-sig")

    header, line, _end = body.split("\r\n")
    assert header.startswith('"Voornaam";"Achternaam";"E-mailadres";')
    assert line.startswith('"Jan;Piet";"\'=1+1;2";"a@samen.test";"";')
    # Every field is quoted: as many quoted fields as columns, numbers and dates too.
    assert line.count('";"') == len(DUTCH_HEADER) - 1


def test_xlsx_export_reads_back_cell_for_cell(coordinator_client, hostile):
    response = _export(coordinator_client, "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]

    assert sheet.title == "ExpEx en ouders"
    assert rows[0] == DUTCH_HEADER
    assert len(rows) == len(hostile) + 1
    by_hours = {row[8]: row for row in rows[1:]}
    assert len(by_hours) == len(hostile)
    added = datetime.datetime.combine(timezone.localdate(), datetime.time())
    for number, (expert, texts) in enumerate(hostile):
        row = by_hours[number + 0.5]
        assert row[:5] + [row[NETWORK_COLUMN]] == texts, repr(expert.first_name)
        with translation.override("nl"):
            assert row[5:8] == [
                expert.get_kind_display(),
                expert.get_expertise_display(),
                expert.get_status_display(),
            ]
        assert row[9] == 1.25
        assert row[11] == "Onderwijs, Verbinden"
        assert row[12] == added


def test_xlsx_export_holds_no_formula_cells(coordinator_client, hostile):
    sheet = load_workbook(io.BytesIO(_export(coordinator_client, "xlsx").content)).active
    kinds = {cell.data_type for row in sheet.iter_rows() for cell in row}
    assert "f" not in kinds


def test_a_vertical_tab_from_word_no_longer_breaks_the_xlsx_export(coordinator_client, db):
    """The 500 of issue 8: openpyxl refuses a control character in a cell."""
    ExpertFactory(first_name="Fenna", city="Leiden\x0bZoeterwoude")
    response = _export(coordinator_client, "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert list(sheet.iter_rows(values_only=True))[1][4] == "Leiden\nZoeterwoude"


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        *HOSTILE,
        # PostgreSQL cannot store a NUL, so no expert holds one; other exports might.
        ("\x00=1+1", "'=1+1"),
        ("a\x00b", "ab"),
        ("", ""),
        ("Gewoon tekst", "Gewoon tekst"),
        ("-", "'-"),
        (" @", "' @"),
        ("\n+1", "'\n+1"),
        ("+316-12345678", "+316-12345678"),
        ("+31 (0)71 123", "+31 (0)71 123"),
        ("+31=1", "'+31=1"),
        ("+", "'+"),
    ],
)
def test_spreadsheet_text(text, cell):
    assert spreadsheet_text(text) == cell


# The log of exports -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_export_is_logged_with_who_the_filter_the_rows_and_the_format(
    coordinator_client, coordinator, db, fmt
):
    ExpertFactory(first_name="Petra", kind=ExpertKind.PARENT)
    ExpertFactory(first_name="Pim", kind=ExpertKind.PARENT)
    ExpertFactory(first_name="Youssef", kind=ExpertKind.YOUTH)
    before = timezone.now()

    response = coordinator_client.get(
        reverse("coordinator:expert_export"), {"format": fmt, "kind": "parent", "q": "P"}
    )

    assert response.status_code == 200
    log = ExportLog.objects.get()
    assert (log.user, log.user_email) == (coordinator, coordinator.email)
    assert log.exported_at >= before
    assert (log.kind, log.format, log.rows) == (ExportKind.EXPERTS, fmt, 2)
    assert QueryDict(log.query) == QueryDict(f"format={fmt}&kind=parent&q=P")


def test_an_export_without_a_format_is_logged_as_the_csv_it_sends(admin_client_, admin, db):
    ExpertFactory()
    response = admin_client_.get(reverse("coordinator:expert_export"), {"format": "pdf"})
    assert response["Content-Type"].startswith("text/csv")
    log = ExportLog.objects.get()
    assert (log.user, log.format, log.rows, log.query) == (admin, "csv", 1, "format=pdf")


def test_a_hostile_filter_is_logged_as_it_was_asked(coordinator_client, db):
    ExpertFactory()
    response = coordinator_client.get(
        reverse("coordinator:expert_export") + "?q=%00%3D1%2B1;x&kind=%E2%9C%A8&kind=parent"
    )
    assert response.status_code == 200
    log = ExportLog.objects.get()
    assert QueryDict(log.query).getlist("kind") == ["✨", "parent"]
    assert QueryDict(log.query)["q"] == "\x00=1+1;x"
    assert "\x00" not in log.query  # stored encoded: PostgreSQL refuses a NUL


@pytest.mark.parametrize("visitor", ["anonymous", "expert", "lead"], indirect=True)
def test_a_refused_export_is_not_logged(visitor, db):
    _name, client = visitor
    response = client.get(reverse("coordinator:expert_export"), {"format": "csv"})
    assert response.status_code in (302, 403)
    assert not ExportLog.objects.exists()


def test_the_log_keeps_who_exported_after_the_account_is_gone(coordinator_client, db):
    coordinator_client.get(reverse("coordinator:expert_export"))
    log = ExportLog.objects.get()
    email = log.user_email
    User.objects.filter(pk=log.user_id).delete()
    log.refresh_from_db()
    assert (log.user, log.user_email) == (None, email)


def test_the_log_is_shown_read_only_on_the_admin_site(admin_client_, coordinator_client, db):
    coordinator_client.get(reverse("coordinator:expert_export"), {"kind": "parent"})
    log = ExportLog.objects.get()
    opts = ExportLog._meta
    changelist = admin_client_.get(reverse(f"admin:{opts.app_label}_exportlog_changelist"))
    assert changelist.status_code == 200
    assert "kind=parent" in changelist.content.decode()
    change = admin_client_.get(reverse("admin:participation_exportlog_change", args=[log.pk]))
    assert change.status_code == 200
    assert change.context["has_change_permission"] is False
    assert admin_client_.get(reverse("admin:participation_exportlog_add")).status_code == 403
    delete = reverse("admin:participation_exportlog_delete", args=[log.pk])
    assert admin_client_.post(delete, {"post": "yes"}).status_code == 403
    assert ExportLog.objects.filter(pk=log.pk).exists()
