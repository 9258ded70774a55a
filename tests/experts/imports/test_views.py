"""Importing experts from the coordinator's spreadsheet: upload, preview, confirm.

Error texts are checked in English (Accept-Language: en) so the tests keep passing once the
Dutch catalogue is filled in; the row numbers are what the coordinator sees in the spreadsheet.
"""

import csv
import datetime
import io
import os
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from experts.imports.parsing import ExpertImportError, read_table
from experts.models import (
    Expert,
    Expertise,
    ExpertKind,
    ExpertRole,
    ExpertStatus,
    PendingImport,
    Theme,
)
from tests.factories import ExpertFactory, ThemeFactory

VISITORS = ["anonymous", "expert", "lead", "coordinator", "admin"]
IMPORT_URL = "/coordinator/ervaringsdeskundigen/importeren/"
EXPERT_LIST_PATH = "/coordinator/ervaringsdeskundigen/"

HEADER = [
    "voornaam",
    "achternaam",
    "e-mail",
    "telefoon",
    "woonplaats",
    "soort",
    "ervaring",
    "geboortedatum",
    "beschikbaar",
    "thema's",
    "rollen",
    "begeleider",
    "status",
]
GOOD_ROWS = [
    [
        "Mila",
        "de Vries",
        "mila@voorbeeld.nl",
        "0612345678",
        "Leiden",
        "ExpEx",
        "getraind",
        "17-05-2004",
        "8",
        "Scheiding, Jeugdzorg",
        "verbinden, onderwijs",
        "Anna Begeleider",
        "actief",
    ],
    [
        "Pieter",
        "Jansen",
        "Pieter@Voorbeeld.nl",
        "",
        "Katwijk",
        "ouder",
        "ervaringskennis",
        "1-2-1980",
        "4,5",
        "jeugdzorg",
        "emotionele steun",
        "",
        "",
    ],
    ["Sanne", "Bakker", "", "", "Leiden", "jongere", "", "2006-03-09", "", "", "", "", "kandidaat"],
]


@pytest.fixture
def themes(db):
    return [ThemeFactory(name="Scheiding"), ThemeFactory(name="Jeugdzorg")]


@pytest.fixture
def coordinator_en(coordinator):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(coordinator)
    return client


def csv_upload(rows, *, header=HEADER, delimiter=",", encoding="utf-8", name="experts.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), content_type="text/csv")


def xlsx_upload(rows, *, header=HEADER, name="experts.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(
        name,
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def upload(client, file):
    return client.post(reverse("coordinator:expert_import"), {"file": file})


def confirm(client, action="import"):
    token = PendingImport.objects.get().token
    return client.post(
        reverse("coordinator:expert_import_confirm"), {"token": token, "action": action}
    )


def errors_of(response) -> list[str]:
    """The problems listed on the upload page."""
    assert response.status_code == 200
    return [str(e) for e in response.context["errors"]]


# --- Access --------------------------------------------------------------------------------


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
@pytest.mark.parametrize("url_name", ["expert_import", "expert_import_template"])
def test_import_pages_are_for_coordinators_and_admins_only(visitor, url_name):
    name, client = visitor
    response = client.get(reverse(f"coordinator:{url_name}"))
    if name == "anonymous":
        assert response.status_code == 302
        assert "login" in response["Location"]
    else:
        expected = {"expert": 403, "lead": 403, "coordinator": 200, "admin": 200}[name]
        assert response.status_code == expected


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
def test_confirm_only_answers_post(visitor):
    name, client = visitor
    response = client.get(reverse("coordinator:expert_import_confirm"))
    if name == "anonymous":
        assert response.status_code == 302
        assert "login" in response["Location"]
    else:
        expected = {"expert": 403, "lead": 403, "coordinator": 405, "admin": 405}[name]
        assert response.status_code == expected


@pytest.mark.parametrize("visitor", ["expert", "lead"], indirect=True)
def test_other_doors_cannot_upload(visitor, themes):
    _, client = visitor
    response = upload(client, csv_upload(GOOD_ROWS))
    assert response.status_code == 403
    assert not PendingImport.objects.exists()


def test_import_url_is_the_shared_one(coordinator_client):
    assert reverse("coordinator:expert_import") == IMPORT_URL
    assert coordinator_client.put(IMPORT_URL).status_code == 405
    template_url = reverse("coordinator:expert_import_template")
    assert coordinator_client.post(template_url).status_code == 405


def test_preview_without_upload_sends_back_to_the_upload_page(coordinator_client):
    response = coordinator_client.get(reverse("coordinator:expert_import_preview"))
    assert response.status_code == 302
    assert response["Location"] == IMPORT_URL


# --- Good files ----------------------------------------------------------------------------


def test_good_csv_is_previewed_then_imported_with_themes_and_roles(coordinator_client, themes):
    before = Expert.objects.count()

    response = upload(coordinator_client, csv_upload(GOOD_ROWS))
    assert response.status_code == 302
    assert response["Location"] == reverse("coordinator:expert_import_preview")
    assert Expert.objects.count() == before  # the preview writes nothing

    preview = coordinator_client.get(response["Location"])
    assert preview.status_code == 200
    body = preview.content.decode()
    for name in ("Mila", "Pieter", "Sanne"):
        assert name in body
    assert Expert.objects.count() == before

    response = confirm(coordinator_client)
    assert response.status_code == 302
    assert response["Location"] == EXPERT_LIST_PATH
    assert Expert.objects.count() == before + 3
    assert not PendingImport.objects.exists()

    mila = Expert.objects.get(email="mila@voorbeeld.nl")
    assert mila.kind == ExpertKind.YOUTH
    assert mila.expertise == Expertise.EXPERTISE
    assert mila.date_of_birth == datetime.date(2004, 5, 17)
    assert mila.availability_hours_per_month == Decimal("8")
    assert mila.phone == "0612345678"
    assert mila.coach == "Anna Begeleider"
    assert sorted(t.name for t in mila.themes.all()) == ["Jeugdzorg", "Scheiding"]
    assert sorted(r.role for r in mila.preferred_roles.all()) == [
        ExpertRole.CONNECTING,
        ExpertRole.EDUCATION,
    ]

    pieter = Expert.objects.get(first_name="Pieter")
    assert pieter.kind == ExpertKind.PARENT
    assert pieter.expertise == Expertise.KNOWLEDGE
    assert pieter.date_of_birth == datetime.date(1980, 2, 1)
    assert pieter.availability_hours_per_month == Decimal("4.5")
    assert [t.name for t in pieter.themes.all()] == ["Jeugdzorg"]  # spelled as in Samen
    assert [r.role for r in pieter.preferred_roles.all()] == [ExpertRole.EMOTIONAL_SUPPORT]

    sanne = Expert.objects.get(first_name="Sanne")
    assert sanne.email == ""
    assert sanne.status == ExpertStatus.CANDIDATE
    assert sanne.date_of_birth == datetime.date(2006, 3, 9)


def test_good_xlsx_with_real_excel_dates_and_numbers_is_imported(coordinator_client, themes):
    header = [
        "Voornaam",
        "Achternaam",
        "E-mailadres",
        "Woonplaats",
        "Soort",
        "Ervaring",
        "Geboortedatum",
        "Beschikbaar (uren per maand)",
        "Thema's",
        "Rollen",
        "Opmerkingen",
    ]
    rows = [
        [
            "Noor",
            "Visser",
            "noor@voorbeeld.nl",
            "Leiden",
            "ExpEx",
            "ervaringsdeskundig",
            datetime.datetime(2003, 11, 30),
            6,
            "Scheiding",
            "onderzoek en beleid, belangenbehartiging",
            "kwam via Cardea",
        ],
        [
            "Fatima",
            "El Amrani",
            "fatima@voorbeeld.nl",
            "Leiderdorp",
            "Ouder",
            "Ervaringskennis",
            datetime.date(1979, 4, 2),
            2.5,
            "Jeugdzorg, Scheiding",
            "navigeren en plannen",
            "",
        ],
    ]
    before = Expert.objects.count()
    response = upload(coordinator_client, xlsx_upload(rows, header=header))
    assert response.status_code == 302
    preview = coordinator_client.get(response["Location"])
    assert "Opmerkingen" in preview.content.decode()  # the skipped column is named
    assert Expert.objects.count() == before

    confirm(coordinator_client)
    assert Expert.objects.count() == before + 2
    noor = Expert.objects.get(email="noor@voorbeeld.nl")
    assert noor.date_of_birth == datetime.date(2003, 11, 30)
    assert noor.availability_hours_per_month == Decimal("6")
    assert noor.expertise == Expertise.EXPERTISE
    assert sorted(r.role for r in noor.preferred_roles.all()) == [
        ExpertRole.ADVOCACY,
        ExpertRole.RESEARCH_POLICY,
    ]
    fatima = Expert.objects.get(email="fatima@voorbeeld.nl")
    assert fatima.kind == ExpertKind.PARENT
    assert fatima.availability_hours_per_month == Decimal("2.5")
    assert fatima.themes.count() == 2


def test_semicolon_csv_saved_by_excel_in_windows_1252_is_imported(coordinator_client, themes):
    rows = [
        ["Zoë", "Müller", "zoe@voorbeeld.nl", "", "Den Haag", "jongere", "", "3-4-2005", "",
         "", "", "", ""],
        ["Renée", "Çelik", "renee@voorbeeld.nl", "", "Leiden", "ouder", "", "", "", "", "", "",
         ""],
    ]  # fmt: skip
    file = csv_upload(rows, delimiter=";", encoding="cp1252")
    assert "Zoë".encode("cp1252") in file.read()
    file.seek(0)
    response = upload(coordinator_client, file)
    assert response.status_code == 302
    confirm(coordinator_client)
    zoe = Expert.objects.get(email="zoe@voorbeeld.nl")
    assert (zoe.first_name, zoe.last_name) == ("Zoë", "Müller")
    assert Expert.objects.get(email="renee@voorbeeld.nl").last_name == "Çelik"


def test_utf8_csv_with_bom_is_imported(coordinator_client, themes):
    file = csv_upload(GOOD_ROWS, encoding="utf-8-sig")
    assert file.read().startswith(b"\xef\xbb\xbf")
    file.seek(0)
    response = upload(coordinator_client, file)
    assert response.status_code == 302
    confirm(coordinator_client)
    assert Expert.objects.filter(first_name__in=["Mila", "Pieter", "Sanne"]).count() == 3


def test_template_file_has_the_headers_and_can_be_filled_in_and_imported(
    coordinator_client, themes
):
    response = coordinator_client.get(reverse("coordinator:expert_import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    # As every export: semicolons, every field quoted.
    assert text == ";".join(f'"{name}"' for name in HEADER) + "\r\n"

    filled = text + "Ilse;Smit;ilse@voorbeeld.nl;;;ExpEx;;;;;;;\r\n"
    file = SimpleUploadedFile("sjabloon.csv", ("\ufeff" + filled).encode("utf-8"))
    assert upload(coordinator_client, file).status_code == 302
    confirm(coordinator_client)
    assert Expert.objects.filter(email="ilse@voorbeeld.nl").exists()


def test_cancel_writes_nothing_and_forgets_the_file(coordinator_client, themes):
    before = Expert.objects.count()
    upload(coordinator_client, csv_upload(GOOD_ROWS))
    response = confirm(coordinator_client, action="cancel")
    assert response.status_code == 302
    assert response["Location"] == IMPORT_URL
    assert Expert.objects.count() == before
    assert not PendingImport.objects.exists()


def test_confirm_with_a_stale_token_writes_nothing(coordinator_client, themes):
    before = Expert.objects.count()
    upload(coordinator_client, csv_upload(GOOD_ROWS))
    response = coordinator_client.post(
        reverse("coordinator:expert_import_confirm"), {"token": "old", "action": "import"}
    )
    assert response.status_code == 302
    assert Expert.objects.count() == before


def test_expert_added_between_preview_and_confirm_stops_the_whole_import(coordinator_en, themes):
    upload(coordinator_en, csv_upload(GOOD_ROWS))
    ExpertFactory(email="mila@voorbeeld.nl")
    before = Expert.objects.count()
    response = confirm(coordinator_en)
    assert "Row 2: an expert with e-mail address 'mila@voorbeeld.nl' is already in Samen." in (
        errors_of(response)
    )
    assert Expert.objects.count() == before


def test_import_of_many_rows_takes_a_fixed_number_of_queries(
    coordinator_client, themes, django_assert_max_num_queries
):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite splits bulk inserts by its limit on query variables.")
    rows = [
        [f"Naam{i}", "", f"n{i}@voorbeeld.nl", "", "", "ExpEx", "", "1-1-2000", "4",
         "Scheiding, Jeugdzorg", "verbinden", "", ""]
        for i in range(300)
    ]  # fmt: skip
    upload(coordinator_client, csv_upload(rows))
    token = PendingImport.objects.get().token
    # session and user (2); the waiting import read and deleted (2); the import in a savepoint:
    # themes and e-mail addresses checked (2), experts, the first rows of their history, theme
    # links and roles inserted in bulk (4), savepoint and release (2). None per row, and no
    # session write.
    with django_assert_max_num_queries(12):
        coordinator_client.post(
            reverse("coordinator:expert_import_confirm"), {"token": token, "action": "import"}
        )
    assert Expert.objects.filter(email__endswith="@voorbeeld.nl").count() == 300
    assert Theme.experts.through.objects.count() == 600


def test_imported_experts_start_their_history_with_the_coordinator(
    coordinator_client, coordinator, themes
):
    """The history of what leads may see and the benefit situation has a first row for an
    imported expert too (bulk_create sends no post_save)."""
    rows = [["Ilse", "", "ilse@voorbeeld.nl", "", "", "ExpEx", "", "", "", "", "", "", ""]]
    upload(coordinator_client, csv_upload(rows))
    confirm(coordinator_client)
    expert = Expert.objects.get(email="ilse@voorbeeld.nl")
    (first,) = expert.history.all()
    assert (first.history_type, first.history_user) == ("+", coordinator)
    assert (first.share_email_with_leads, first.benefit_situation) == (False, "unknown")


# --- Bad files: a clear message, every bad row with its number, nothing written -------------


@pytest.fixture
def nothing_written(db):
    """Count Expert rows before and after the test: a bad file must not add any."""
    ExpertFactory(email="al-bekend@voorbeeld.nl")
    before = Expert.objects.count()
    yield
    assert Expert.objects.count() == before


@pytest.mark.usefixtures("nothing_written")
def test_wrong_columns_are_named_in_one_message_on_the_step_to_choose_them(coordinator_en, themes):
    # Columns Samen cannot place no longer send the file back: the coordinator says what
    # they hold (tests/experts/imports/test_mapping.py).
    file = csv_upload([["Mila", "mila@voorbeeld.nl", "ExpEx"]], header=["naam", "adres", "wie"])
    response = upload(coordinator_en, file)
    assert response["Location"] == reverse("coordinator:expert_import_mapping")
    page = coordinator_en.get(response["Location"])
    assert page.context["column_problems"] == [
        "Samen needs a column for: first name, e-mail address, kind. Choose below which of "
        "your columns holds it."
    ]
    preview = coordinator_en.get(reverse("coordinator:expert_import_preview"))
    assert preview["Location"] == reverse("coordinator:expert_import_mapping")


@pytest.mark.usefixtures("nothing_written")
def test_bad_dates_are_reported_per_row(coordinator_en, themes):
    rows = [
        ["Mila", "", "mila@voorbeeld.nl", "", "", "ExpEx", "", "31-02-2001", "", "", "", "", ""],
        ["Pim", "", "pim@voorbeeld.nl", "", "", "ExpEx", "", "17-05-2004", "", "", "", "", ""],
        ["Bo", "", "bo@voorbeeld.nl", "", "", "ExpEx", "", "volgend jaar", "", "", "", "", ""],
        ["Do", "", "do@voorbeeld.nl", "", "", "ouder", "", "1-1-2999", "", "", "", "", ""],
    ]
    errors = errors_of(upload(coordinator_en, csv_upload(rows)))
    assert errors[0] == "Row 2: date of birth '31-02-2001' is not a valid date."
    assert errors[1].startswith("Row 4: date of birth 'volgend jaar' is not a date.")
    assert errors[2] == "Row 5: date of birth '1-1-2999' lies in the future."
    assert len(errors) == 3
    assert not PendingImport.objects.exists()


@pytest.mark.usefixtures("nothing_written")
def test_duplicate_email_inside_the_file_is_reported(coordinator_en, themes):
    rows = [GOOD_ROWS[0], GOOD_ROWS[2], [*GOOD_ROWS[1][:2], "MILA@voorbeeld.nl", *GOOD_ROWS[1][3:]]]
    errors = errors_of(upload(coordinator_en, csv_upload(rows)))
    assert errors == ["Row 4: e-mail address 'MILA@voorbeeld.nl' is also in row 2."]


@pytest.mark.usefixtures("nothing_written")
def test_email_already_in_samen_is_reported(coordinator_en, themes):
    rows = [*GOOD_ROWS, ["Al", "", "Al-Bekend@voorbeeld.nl", "", "", "ouder", *[""] * 7]]
    errors = errors_of(upload(coordinator_en, csv_upload(rows)))
    assert errors == [
        "Row 5: an expert with e-mail address 'Al-Bekend@voorbeeld.nl' is already in Samen."
    ]


@pytest.mark.usefixtures("nothing_written")
def test_unknown_theme_is_an_error_and_is_not_created(coordinator_en, themes):
    rows = [[*GOOD_ROWS[0][:9], "Scheiding, Pesten", *GOOD_ROWS[0][10:]]]
    errors = errors_of(upload(coordinator_en, csv_upload(rows)))
    assert len(errors) == 1
    assert errors[0].startswith("Row 2: theme 'Pesten' does not exist.")
    assert not Theme.objects.filter(name="Pesten").exists()


@pytest.mark.usefixtures("nothing_written")
def test_every_bad_row_is_reported_at_once_with_spreadsheet_row_numbers(coordinator_en, themes):
    rows = [
        GOOD_ROWS[0],
        ["", "", "", "", "", "", "", "", "", "", "", "", ""],  # an empty row keeps its number
        ["", "Leeg", "geen-mail", "", "", "kind", "", "", "veel", "", "dansen", "", "weg"],
        GOOD_ROWS[1],
        ["Kees", "", "kees@voorbeeld.nl", "", "", "ouder", "slim", "", "-3", "", "", "", ""],
    ]
    errors = errors_of(upload(coordinator_en, csv_upload(rows)))
    row_4 = [e for e in errors if e.startswith("Row 4: ")]
    assert len(row_4) == 6  # first name, e-mail, kind, status, hours, role
    assert "Row 4: e-mail address 'geen-mail' is not valid." in row_4
    assert any(e.startswith("Row 4: kind 'kind' is unknown.") for e in row_4)
    assert any(e.startswith("Row 4: role 'dansen' is unknown.") for e in row_4)
    row_6 = [e for e in errors if e.startswith("Row 6: ")]
    assert len(row_6) == 2  # experience and hours
    assert len(errors) == 8


@pytest.mark.usefixtures("nothing_written")
@pytest.mark.parametrize(
    "content",
    [b"", b"\r\n\r\n  \r\n", b"voornaam,e-mail,soort\r\n"],
    ids=["no bytes", "only empty lines", "only the header"],
)
def test_empty_file_gets_a_clear_message(coordinator_en, content):
    errors = errors_of(upload(coordinator_en, SimpleUploadedFile("leeg.csv", content)))
    assert len(errors) == 1
    assert "empty" in errors[0] or "no experts" in errors[0]


@pytest.mark.usefixtures("nothing_written")
def test_ten_megabyte_file_is_refused_before_it_is_read(coordinator_en):
    line = b"Mila,de Vries,mila@voorbeeld.nl,,,ExpEx,,,,,,,\r\n"
    content = b"voornaam,achternaam,e-mail,telefoon,woonplaats,soort\r\n" + line * (
        10 * 1024 * 1024 // len(line)
    )
    errors = errors_of(upload(coordinator_en, SimpleUploadedFile("groot.csv", content)))
    assert errors == [
        "The file is too large (10.0\xa0MB). The maximum is 5.0\xa0MB. "
        "Split the file into smaller parts."
    ]


def test_size_is_checked_from_the_upload_without_reading_it(settings):
    class Unreadable(io.RawIOBase):
        def read(self, *args):
            raise AssertionError("the file was read")

        readinto = read

    big = UploadedFile(Unreadable(), name="groot.xlsx", size=10 * 1024 * 1024)
    with translation.override("en"), pytest.raises(ExpertImportError) as error:
        read_table(big)
    assert "too large" in error.value.messages[0]


@pytest.mark.usefixtures("nothing_written")
def test_size_limit_is_a_setting(coordinator_en, settings, themes):
    settings.SAMEN_IMPORT_MAX_BYTES = 100
    file = csv_upload(GOOD_ROWS)
    assert file.size > 100
    errors = errors_of(upload(coordinator_en, file))
    assert "The file is too large" in errors[0]


@pytest.mark.usefixtures("nothing_written")
def test_too_many_rows_are_refused(coordinator_en, settings, themes):
    settings.SAMEN_IMPORT_MAX_ROWS = 2
    errors = errors_of(upload(coordinator_en, csv_upload(GOOD_ROWS)))
    assert errors == ["The file has more than 2 rows. Split it into smaller files."]


@pytest.mark.usefixtures("nothing_written")
def test_row_limit_is_5000_by_default(coordinator_en, themes):
    rows = [[f"N{i}", "", f"n{i}@voorbeeld.nl", "", "", "ExpEx", *[""] * 7] for i in range(5001)]
    errors = errors_of(upload(coordinator_en, csv_upload(rows)))
    assert errors == ["The file has more than 5,000 rows. Split it into smaller files."]


@pytest.mark.usefixtures("nothing_written")
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "foto.csv",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(2000),
            "This is not a CSV or Excel file",
        ),
        ("oud.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000), "old Excel file (.xls)"),
        (
            "kapot.xlsx",
            b"PK\x03\x04" + b"not really a zip" * 50,
            "could not be read as an Excel file",
        ),
    ],
    ids=["binary", "old xls", "broken xlsx"],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused(coordinator_en, name, content, message):
    errors = errors_of(upload(coordinator_en, SimpleUploadedFile(name, content)))
    assert len(errors) == 1
    assert message in errors[0]


def test_upload_page_explains_doubles_all_or_nothing_and_the_template(coordinator_en):
    body = coordinator_en.get(IMPORT_URL).content.decode()
    assert "An import only adds new experts." in body
    assert "All or nothing" in body
    assert reverse("coordinator:expert_import_template") in body
    assert 'enctype="multipart/form-data"' in body


def test_import_makes_the_dashboard_count_again(
    coordinator_client, themes, django_capture_on_commit_callbacks
):
    # bulk_create sends no post_save; the import tells the dashboard's cache itself.
    from participation.dashboard import cache as dashboard

    key = dashboard.dashboard_cache_key("nl")
    upload(coordinator_client, csv_upload(GOOD_ROWS))
    assert dashboard.dashboard_cache_key("nl") == key  # a preview writes nothing
    with django_capture_on_commit_callbacks(execute=True):
        confirm(coordinator_client)
    assert dashboard.dashboard_cache_key("nl") != key
