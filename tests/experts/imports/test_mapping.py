"""The coordinator's own spreadsheet goes in as it is: Samen recognises many column names, and
where it cannot place a column or a value, the coordinator says what it means. The choices are
remembered for the next file with the same column names (``ImportMapping``, shared by the
coordinators).

Messages a coordinator reads are checked in Dutch, the language of the door, where the test is
about the message; elsewhere in English (Accept-Language: en) so they survive rewording."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from experts.imports.forms import MAX_VALUES_TO_CHOOSE
from experts.imports.parsing import (
    Mapping,
    Table,
    header_key,
    parse_table,
    plan_columns,
    read_table,
)
from experts.models import Expert, ExpertKind, ExpertStatus, ImportMapping, PendingImport
from tests.factories import ThemeFactory

VISITORS = ["anonymous", "expert", "lead", "coordinator", "admin"]
UPLOAD = reverse("coordinator:expert_import")
MAPPING = reverse("coordinator:expert_import_mapping")
PREVIEW = reverse("coordinator:expert_import_preview")
CONFIRM = reverse("coordinator:expert_import_confirm")

# The coordinator's spreadsheet as Dutch Excel saves it as "CSV UTF-8": a BOM, semicolons, CRLF,
# her own column names and a column of remarks Samen does not know. "Naam" is not a column
# Samen places by itself: it may hold a whole name.
OWN_HEADER = "Naam;E-mailadres;ExpEx of ouder;Uren p/m;Opmerkingen"
OWN_ROWS = [
    "Mila;mila@voorbeeld.nl;ExpEx;8;kwam via Cardea",
    "Fatima;fatima@voorbeeld.nl;moeder;4,5;",
    "Joris;joris@voorbeeld.nl;pleegouder;2;belt liever",
    "Sem;sem@voorbeeld.nl;jong;;",
]


def own_spreadsheet(rows=OWN_ROWS, header=OWN_HEADER, name="Deelnemers SAMEN.csv"):
    text = "\r\n".join([header, *rows]) + "\r\n"
    return SimpleUploadedFile(name, b"\xef\xbb\xbf" + text.encode("utf-8"), "text/csv")


@pytest.fixture
def coordinator_en(coordinator):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(coordinator)
    return client


def upload(client, file):
    return client.post(UPLOAD, {"file": file})


def choices(page, columns=None, values=None) -> dict[str, str]:
    """The mapping form as the page shows it, with some choices changed: ``columns`` by the
    column's name in the file, ``values`` by the value as written in the file."""
    form = page.context["form"]
    data = {"token": page.context["pending"].token}
    for bound in form.column_group:
        data[bound.html_name] = (columns or {}).get(bound.label, bound.value() or "")
    for group in form.value_groups:
        for bound in group["fields"]:
            text = bound.label.rsplit(" (", 1)[0]
            data[bound.html_name] = (values or {}).get(text, bound.value() or "")
    return data


def confirm(client):
    token = PendingImport.objects.get().token
    return client.post(CONFIRM, {"token": token, "action": "import"})


# --- Access ----------------------------------------------------------------------------------


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
@pytest.mark.parametrize("method", ["get", "post"])
def test_mapping_step_is_for_coordinators_and_admins_only(visitor, method):
    name, client = visitor
    response = getattr(client, method)(MAPPING)
    if name == "anonymous":
        assert response.status_code == 302
        assert "login" in response["Location"]
    elif name in ("expert", "lead"):
        assert response.status_code == 403
    else:  # nothing uploaded yet: back to the upload
        assert response.status_code == 302
        assert response["Location"] == UPLOAD
    assert not ImportMapping.objects.exists()


@pytest.mark.parametrize("visitor", ["expert", "lead"], indirect=True)
def test_other_doors_cannot_post_a_mapping_into_a_coordinators_import(visitor, coordinator_en):
    upload(coordinator_en, own_spreadsheet())
    _name, client = visitor
    assert client.post(MAPPING, {"column_x": "first_name"}).status_code == 403
    assert not ImportMapping.objects.exists()


# --- The coordinator's own spreadsheet -------------------------------------------------------


def test_own_spreadsheet_goes_in_through_the_mapping_step(coordinator_en, coordinator):
    before = Expert.objects.count()
    response = upload(coordinator_en, own_spreadsheet())
    # Samen knows E-mailadres, ExpEx of ouder and Uren p/m, but nothing is the first name.
    assert response.status_code == 302
    assert response["Location"] == MAPPING
    page = coordinator_en.get(MAPPING)
    assert page.status_code == 200
    assert page.context["column_problems"] == [
        "Samen needs a column for: first name. Choose below which of your columns holds it."
    ]
    shown = {bound.label: bound.value() for bound in page.context["form"].column_group}
    assert shown == {
        "Naam": "",
        "E-mailadres": "email",
        "ExpEx of ouder": "kind",
        "Uren p/m": "availability",
        "Opmerkingen": "",
    }
    assert "For example: kwam via Cardea" in page.content.decode()

    # The coordinator says that Naam is the first name.
    response = coordinator_en.post(MAPPING, choices(page, columns={"Naam": "first_name"}))
    assert response["Location"] == PREVIEW
    # "pleegouder" is not a kind Samen knows: the preview sends her back to say what it is.
    response = coordinator_en.get(PREVIEW)
    assert response["Location"] == MAPPING
    page = coordinator_en.get(MAPPING)
    (group,) = page.context["form"].value_groups
    assert group["column"] == "ExpEx of ouder"
    assert [bound.label for bound in group["fields"]] == ["pleegouder (1 row)"]
    assert "Row 4: kind 'pleegouder' is unknown." in " ".join(page.context["row_errors"])

    response = coordinator_en.post(MAPPING, choices(page, values={"pleegouder": "parent"}))
    assert response["Location"] == PREVIEW
    preview = coordinator_en.get(PREVIEW)
    assert preview.status_code == 200
    assert preview.context["total"] == 4
    assert preview.context["ignored_columns"] == ["Opmerkingen"]
    assert Expert.objects.count() == before  # nothing written before the confirmation

    response = confirm(coordinator_en)
    assert response["Location"] == reverse("coordinator:expert_list")
    imported = {
        e.first_name: (e.kind, e.availability_hours_per_month, e.status)
        for e in Expert.objects.filter(email__endswith="@voorbeeld.nl")
    }
    assert imported == {
        "Mila": (ExpertKind.YOUTH, Decimal("8"), ExpertStatus.ACTIVE),
        "Fatima": (ExpertKind.PARENT, Decimal("4.5"), ExpertStatus.ACTIVE),
        "Joris": (ExpertKind.PARENT, Decimal("2"), ExpertStatus.ACTIVE),
        "Sem": (ExpertKind.YOUTH, Decimal("0"), ExpertStatus.ACTIVE),
    }
    assert not Expert.objects.filter(private_notes__contains="Cardea").exists()

    remembered = ImportMapping.objects.get()
    assert remembered.headers == [
        "Naam",
        "E-mailadres",
        "ExpEx of ouder",
        "Uren p/m",
        "Opmerkingen",
    ]
    assert remembered.columns["naam"] == "first_name"
    assert remembered.columns["opmerkingen"] == ""
    assert remembered.values == {"kind": {"pleegouder": "parent"}}
    assert remembered.updated_by == coordinator


def test_second_import_of_the_same_columns_needs_no_mapping(coordinator_en, coordinator, admin):
    test_own_spreadsheet_goes_in_through_the_mapping_step(coordinator_en, coordinator)
    # The next month's file: other people, the same columns in another order and spelling;
    # imported by another coordinator, who gets the same choices.
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    other.force_login(admin)
    file = own_spreadsheet(
        header="naam;EXPEX OF OUDER;e-mailadres;Opmerkingen;uren p/m",
        rows=["Noor;pleegouder;noor@voorbeeld.nl;;6", "Daan;ExpEx;daan@voorbeeld.nl;nieuw;3"],
    )
    response = upload(other, file)
    assert response["Location"] == PREVIEW
    assert other.get(PREVIEW).status_code == 200
    confirm(other)
    assert Expert.objects.get(first_name="Noor").kind == ExpertKind.PARENT
    assert Expert.objects.get(first_name="Daan").availability_hours_per_month == Decimal("3")
    assert ImportMapping.objects.count() == 1


def test_a_value_can_be_mapped_without_a_column_to_choose(coordinator_en):
    header = "voornaam;e-mail;soort;status"
    rows = ["Mila;mila@voorbeeld.nl;ExpEx;loopt", "Kees;kees@voorbeeld.nl;verzorger;loopt"]
    response = upload(coordinator_en, own_spreadsheet(rows, header))
    # Every column is known: the rows' problems are on the upload page, with a way to say
    # what the values mean instead of changing the file.
    assert response.status_code == 200
    errors = [str(e) for e in response.context["errors"]]
    assert errors[0] == "Row 2: status 'loopt' is unknown. Use kandidaat, actief, pauze or gestopt."
    assert len(errors) == 3
    assert response.context["can_map"] is True
    assert MAPPING in response.content.decode()

    page = coordinator_en.get(MAPPING)
    assert page.context["column_problems"] == []
    groups = {group["field"]: group for group in page.context["form"].value_groups}
    assert [b.label for b in groups["kind"]["fields"]] == ["verzorger (1 row)"]
    assert [b.label for b in groups["status"]["fields"]] == ["loopt (2 rows)"]
    data = choices(page, values={"verzorger": "parent", "loopt": "active"})
    assert coordinator_en.post(MAPPING, data)["Location"] == PREVIEW
    assert coordinator_en.get(PREVIEW).status_code == 200
    confirm(coordinator_en)
    assert Expert.objects.get(first_name="Kees").kind == ExpertKind.PARENT
    assert Expert.objects.get(first_name="Mila").status == ExpertStatus.ACTIVE


def test_a_value_left_open_stays_a_problem(coordinator_en):
    header = "voornaam;e-mail;soort"
    upload(coordinator_en, own_spreadsheet(["Kees;kees@voorbeeld.nl;verzorger"], header))
    page = coordinator_en.get(MAPPING)
    assert coordinator_en.post(MAPPING, choices(page))["Location"] == PREVIEW
    assert coordinator_en.get(PREVIEW)["Location"] == MAPPING
    page = coordinator_en.get(MAPPING)
    assert page.context["row_errors"][0].startswith("Row 2: kind 'verzorger' is unknown.")


def test_unmapped_required_field_gives_a_dutch_message_and_is_not_remembered(
    coordinator_client,
):
    upload(coordinator_client, own_spreadsheet())
    page = coordinator_client.get(MAPPING)
    data = choices(page, columns={"Naam": "", "E-mailadres": ""})
    response = coordinator_client.post(MAPPING, data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Samen mist een kolom voor: voornaam, e-mailadres. Kies hieronder welke van je kolommen "
        "dat is."
    ]
    assert "Samen mist een kolom voor: voornaam, e-mailadres." in response.content.decode()
    assert not ImportMapping.objects.exists()
    assert coordinator_client.get(PREVIEW)["Location"] == MAPPING


def test_one_field_for_two_columns_is_refused_in_dutch(coordinator_client):
    upload(coordinator_client, own_spreadsheet())
    page = coordinator_client.get(MAPPING)
    data = choices(page, columns={"Naam": "first_name", "Opmerkingen": "first_name"})
    response = coordinator_client.post(MAPPING, data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Deze kolommen worden allemaal gelezen als voornaam: Naam, Opmerkingen. Kies voornaam "
        "bij één van de kolommen."
    ]
    assert not ImportMapping.objects.exists()


def test_a_changed_mapping_makes_an_earlier_preview_invalid(coordinator_en):
    upload(coordinator_en, own_spreadsheet(["Mila;mila@voorbeeld.nl;ExpEx;8;"]))
    page = coordinator_en.get(MAPPING)
    coordinator_en.post(MAPPING, choices(page, columns={"Naam": "first_name"}))
    old_token = PendingImport.objects.get().token
    page = coordinator_en.get(MAPPING)
    coordinator_en.post(MAPPING, choices(page, columns={"Opmerkingen": "coach"}))
    response = coordinator_en.post(CONFIRM, {"token": old_token, "action": "import"})
    assert response["Location"] == UPLOAD
    assert not Expert.objects.filter(email="mila@voorbeeld.nl").exists()


def test_cancel_on_the_mapping_step_forgets_the_file(coordinator_en):
    upload(coordinator_en, own_spreadsheet())
    token = PendingImport.objects.get().token
    response = coordinator_en.post(CONFIRM, {"token": token, "action": "cancel"})
    assert response["Location"] == UPLOAD
    assert not PendingImport.objects.exists()
    assert coordinator_en.get(MAPPING)["Location"] == UPLOAD


def test_xlsx_dates_survive_the_mapping_step(coordinator_en):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Naam", "Mail", "Wie", "Geboren"])
    sheet.append(["Noor", "noor@voorbeeld.nl", "ouder", datetime.datetime(1980, 2, 1)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    file = SimpleUploadedFile("deelnemers.xlsx", buffer.getvalue())
    assert upload(coordinator_en, file)["Location"] == MAPPING
    page = coordinator_en.get(MAPPING)
    data = choices(page, columns={"Naam": "first_name", "Wie": "kind"})
    assert coordinator_en.post(MAPPING, data)["Location"] == PREVIEW
    assert coordinator_en.get(PREVIEW).status_code == 200
    confirm(coordinator_en)
    noor = Expert.objects.get(email="noor@voorbeeld.nl")
    assert (noor.kind, noor.date_of_birth) == (ExpertKind.PARENT, datetime.date(1980, 2, 1))


# --- Hostile files and posts: a Dutch message, never a 500 -----------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Het verstuurde bestand is leeg."),  # Django's own check of the upload
        (b"\xef\xbb\xbf;;;\r\n;;\r\n", "Het bestand is leeg."),
        (b"\xef\xbb\xbf" + OWN_HEADER.encode() + b"\r\n", "Het bestand heeft kolomnamen,"),
    ],
    ids=["empty", "only separators", "only the header"],
)
def test_empty_files_get_a_dutch_message(coordinator_client, content, message):
    response = upload(coordinator_client, SimpleUploadedFile("leeg.csv", content))
    assert response.status_code == 200
    errors = [str(e) for e in response.context["errors"]]
    assert len(errors) == 1
    assert errors[0].startswith(message)
    assert not PendingImport.objects.exists()


def test_duplicate_headers_get_a_dutch_message(coordinator_client):
    file = own_spreadsheet(
        ["Mila;mila@voorbeeld.nl;mila@elders.nl;ExpEx"], "voornaam;e-mail;E-mail;soort"
    )
    response = upload(coordinator_client, file)
    assert response["Location"] == MAPPING
    page = coordinator_client.get(MAPPING)
    assert page.status_code == 200
    assert page.context["column_problems"] == [
        "Je bestand heeft meer dan één kolom met de naam e-mail. Samen kan ze niet uit elkaar "
        "houden. Kies 'niet importeren' voor deze kolom, of geef de kolommen in je bestand "
        "verschillende namen."
    ]
    # One choice for both columns; leaving them out leaves the required e-mail without one.
    response = coordinator_client.post(
        MAPPING, choices(page, columns={"voornaam": "first_name", "e-mail": ""})
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Samen mist een kolom voor: e-mailadres. Kies hieronder welke van je kolommen dat is."
    ]


def test_duplicate_columns_samen_does_not_read_are_skipped(coordinator_en):
    header = "voornaam;e-mail;soort;Opmerkingen;opmerkingen"
    response = upload(coordinator_en, own_spreadsheet(["Mila;mila@voorbeeld.nl;ExpEx;a;b"], header))
    assert response["Location"] == PREVIEW
    assert coordinator_en.get(PREVIEW).context["ignored_columns"] == ["Opmerkingen"]


def test_bad_choices_in_a_post_are_refused_not_crashed_on(coordinator_client):
    upload(coordinator_client, own_spreadsheet())
    page = coordinator_client.get(MAPPING)
    data = choices(page, columns={"Naam": "password"})
    data["column_123"] = "first_name"  # a field that is not on the page is ignored
    response = coordinator_client.post(MAPPING, data)
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not ImportMapping.objects.exists()


def test_column_names_and_values_from_the_file_are_shown_as_text(coordinator_en):
    header = "<b>Naam</b>;e-mail;{{ request.session }}"
    rows = ["Mila;mila@voorbeeld.nl;<script>alert(1)</script>"]
    upload(coordinator_en, own_spreadsheet(rows, header))
    page = coordinator_en.get(MAPPING)
    data = choices(page, columns={"<b>Naam</b>": "first_name", "{{ request.session }}": "kind"})
    coordinator_en.post(MAPPING, data)
    body = coordinator_en.get(MAPPING).content.decode()
    assert "&lt;b&gt;Naam&lt;/b&gt;" in body
    assert "{{ request.session }}" in body  # shown, not run as a template
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)" not in body


def test_a_column_of_names_mapped_to_the_kind_offers_no_thousand_choices(coordinator_en):
    rows = [f"N{i};n{i}@voorbeeld.nl;Achternaam{i}" for i in range(60)]
    upload(coordinator_en, own_spreadsheet(rows, "voornaam;e-mail;achternaam"))
    page = coordinator_en.get(MAPPING)
    data = choices(page, columns={"achternaam": "kind"})
    coordinator_en.post(MAPPING, data)
    page = coordinator_en.get(MAPPING)
    (group,) = page.context["form"].value_groups
    assert group["more"] is True
    assert len(group["fields"]) == MAX_VALUES_TO_CHOOSE
    assert "Check that it is the right column." in page.content.decode()


def test_mapping_and_preview_take_a_fixed_number_of_queries(
    coordinator_en, django_assert_max_num_queries
):
    ThemeFactory(name="Scheiding")
    rows = [f"N{i};n{i}@voorbeeld.nl;pleegouder;4;" for i in range(300)]
    upload(coordinator_en, own_spreadsheet(rows))
    # session and user (2); the waiting import (1); themes and e-mail addresses checked (2).
    # None per row.
    with django_assert_max_num_queries(5):
        page = coordinator_en.get(MAPPING)
    data = choices(page, columns={"Naam": "first_name"}, values={"pleegouder": "parent"})
    # session and user (2); the waiting import read and its mapping and token updated (2); the
    # mapping saved in a savepoint, looked up for update and inserted in update_or_create's
    # own savepoints (8).
    with django_assert_max_num_queries(12):
        coordinator_en.post(MAPPING, data)
    # session and user (2); the waiting import (1); themes and e-mail addresses checked (2).
    with django_assert_max_num_queries(5):
        assert coordinator_en.get(PREVIEW).status_code == 200


# --- Reading the columns ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "field"),
    [
        ("E-mailadres", "email"),
        ("EMAIL", "email"),
        ("Mail", "email"),
        ("ExpEx of ouder", "kind"),
        ("expex/ouder", "kind"),
        ("Soort", "kind"),
        ("Type", "kind"),
        ("Uren p/m", "availability"),
        ("Uren per maand", "availability"),
        ("Thema’s", "themes"),
        ("Géboortedatum", "date_of_birth"),
        ("Opmerkingen", ""),
    ],
)
def test_column_names_are_read_without_case_accents_or_punctuation(written, field):
    assert Mapping().field_for(written) == field


def test_tab_separated_file_with_bom_is_read(db):
    text = "\ufeffvoornaam\te-mailadres\tExpEx of ouder\r\nMila\tmila@voorbeeld.nl\tExpEx\r\n"
    table = read_table(SimpleUploadedFile("deelnemers.txt", text.encode("utf-8")))
    parsed = parse_table(table)
    assert parsed.messages == []
    assert (parsed.rows[0].email, parsed.rows[0].kind) == ("mila@voorbeeld.nl", ExpertKind.YOUTH)


def test_the_coordinators_choice_wins_over_the_names_samen_knows():
    mapping = Mapping(columns={"voornaam": "", "roepnaam": "first_name"})
    plan = plan_columns(["Voornaam", "Roepnaam", "e-mail", "soort"], mapping)
    assert plan.problems == []
    assert plan.positions["first_name"] == 1
    assert plan.ignored == ["Voornaam"]


def test_a_remembered_mapping_drops_what_samen_no_longer_knows():
    mapping = Mapping.from_data(
        {
            "columns": {"naam": "first_name", "oud": "shoe_size", "x": ""},
            "values": {"kind": {"moeder": "parent", "oma": "grandparent"}, "shoe": {"a": "b"}},
        }
    )
    assert mapping.columns == {"naam": "first_name", "x": ""}
    assert mapping.values == {"kind": {"moeder": "parent"}}


def test_same_columns_in_any_order_or_spelling_have_one_key():
    assert header_key(["Naam", "E-mailadres", None]) == header_key(["e-mailadres", "NAAM"])
    assert header_key(["Naam", "E-mailadres"]) != header_key(["Naam", "E-mailadres", "Wie"])


def test_a_table_keeps_its_cells_through_json():
    table = Table(
        header=["Naam", "Geboren", "Uren"],
        header_row=1,
        rows=[
            (2, ["Mila", datetime.datetime(2004, 5, 17), 4.5]),
            (4, ["Noor", datetime.date(1980, 2, 1), Decimal("2.5")]),
            (5, [None, datetime.time(9, 30), True]),
        ],
    )
    assert Table.from_json(table.to_json()) == table
