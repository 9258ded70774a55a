"""An .xlsx is a zip: a few megabytes can unpack to gigabytes. Samen reads the zip's directory
first and refuses, with a Dutch message, a file that unpacks to too much or is packed beyond
any spreadsheet, before openpyxl reads a byte of it."""

import io
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from experts.imports import parsing
from experts.imports.parsing import ExpertImportError, Table, read_table
from experts.models import Expert, PendingImport

MB = 1024 * 1024
SHARED_STRINGS = "xl/sharedStrings.xml"
SHEET = "xl/worksheets/sheet1.xml"


def _workbook(rows: int = 2) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["voornaam", "e-mail", "soort", "thema's"])
    for i in range(rows):
        sheet.append([f"Naam{i}", f"n{i}@voorbeeld.nl", "ExpEx", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_part(name: str, megabytes: int, *, fill: bytes = b" ") -> bytes:
    """A real workbook with one part added or replaced by ``megabytes`` of ``fill``, written
    in pieces so the test never holds the unpacked part in memory."""
    source = zipfile.ZipFile(io.BytesIO(_workbook()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        for part in source.infolist():
            if part.filename != name:
                bomb.writestr(part, source.read(part))
        with bomb.open(name, "w") as stream:
            for _ in range(megabytes):
                stream.write(fill * MB)
    return buffer.getvalue()


def _central_entry(content: bytearray, name: str) -> int:
    """Where the zip's central directory describes the part ``name``."""
    at = -1
    while True:
        at = content.index(b"PK\x01\x02", at + 1)
        length = struct.unpack_from("<H", content, at + 28)[0]
        if content[at + 46 : at + 46 + length] == name.encode():
            return at


def _xlsx(content: bytes, name: str = "deelnemers.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def openpyxl_must_not_read(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to read the file")

    monkeypatch.setattr(parsing, "load_workbook", refuse)


def _read(upload: SimpleUploadedFile) -> Table:
    """Messages in English, so the tests of the rules survive a change of the Dutch text."""
    with translation.override("en"):
        return read_table(upload)


def _errors(response) -> list[str]:
    assert response.status_code == 200
    return [str(e) for e in response.context["errors"]]


@pytest.mark.usefixtures("openpyxl_must_not_read")
def test_shared_strings_that_unpack_to_60_megabytes_are_refused_in_dutch(coordinator_client):
    bomb = _with_part(SHARED_STRINGS, 60)
    assert len(bomb) < MB  # what the server receives: well under the upload limit

    response = coordinator_client.post(reverse("coordinator:expert_import"), {"file": _xlsx(bomb)})
    assert _errors(response) == [
        "Dit Excel-bestand is uitgepakt te groot: meer dan 50,0\xa0MB. Bewaar alleen het "
        "werkblad met de ExpEx en ouders, of bewaar het als CSV."
    ]
    assert not PendingImport.objects.exists()
    assert not Expert.objects.exists()


@pytest.mark.usefixtures("openpyxl_must_not_read")
def test_a_sheet_over_the_limit_is_refused(settings):
    settings.SAMEN_IMPORT_MAX_UNPACKED_BYTES = 3 * MB
    with pytest.raises(ExpertImportError, match="too large when unpacked"):
        _read(_xlsx(_with_part(SHEET, 4)))


@pytest.mark.usefixtures("openpyxl_must_not_read")
def test_parts_each_under_the_limit_are_refused_together(settings):
    content = _workbook()
    sizes = [part.file_size for part in zipfile.ZipFile(io.BytesIO(content)).infolist()]
    settings.SAMEN_IMPORT_MAX_UNPACKED_BYTES = max(sizes) + 1
    assert sum(sizes) > settings.SAMEN_IMPORT_MAX_UNPACKED_BYTES
    with pytest.raises(ExpertImportError, match="too large when unpacked"):
        _read(_xlsx(content))


def test_the_limit_is_a_setting(settings):
    content = _workbook()
    total = sum(part.file_size for part in zipfile.ZipFile(io.BytesIO(content)).infolist())
    settings.SAMEN_IMPORT_MAX_UNPACKED_BYTES = total
    assert len(_read(_xlsx(content)).rows) == 2
    settings.SAMEN_IMPORT_MAX_UNPACKED_BYTES = total - 1
    with pytest.raises(ExpertImportError):
        _read(_xlsx(content))


@pytest.mark.usefixtures("openpyxl_must_not_read")
def test_a_part_packed_beyond_any_spreadsheet_is_refused_under_the_limit():
    # 2 MB of spaces pack to a few kilobytes: no spreadsheet packs a thousand times.
    with pytest.raises(ExpertImportError, match="packed in a way Samen does not read"):
        _read(_xlsx(_with_part("xl/worksheets/sheet2.xml", 2)))


def test_a_real_list_of_5000_experts_is_well_within_the_bounds(db):
    content = _workbook(rows=5000)
    parts = zipfile.ZipFile(io.BytesIO(content)).infolist()
    assert sum(part.file_size for part in parts) < parsing.DEFAULT_MAX_UNPACKED_BYTES / 10
    assert max(p.file_size / p.compress_size for p in parts) < parsing.MAX_PACKING_RATIO / 4
    assert len(_read(_xlsx(content)).rows) == 5000


def test_a_part_that_lies_about_its_size_is_not_read_beyond_it(db):
    """The sizes in the zip's directory can be forged small. zipfile unpacks no more than the
    stated size and then finds the data does not match: the file is refused as unreadable."""
    content = bytearray(_with_part(SHEET, 60))
    part = zipfile.ZipFile(io.BytesIO(bytes(content))).getinfo(SHEET)
    forged = 1000
    struct.pack_into("<I", content, part.header_offset + 22, forged)  # the local header
    struct.pack_into("<I", content, _central_entry(content, SHEET) + 24, forged)
    assert zipfile.ZipFile(io.BytesIO(bytes(content))).getinfo(SHEET).file_size == forged

    with pytest.raises(ExpertImportError, match="could not be read as an Excel file"):
        _read(_xlsx(bytes(content)))


@pytest.mark.parametrize(
    "sheet",
    [b"   ", b"<worksheet><sheetData><row><c", b"\xff\xfe<x/>"],
    ids=["spaces", "cut off", "not text"],
)
def test_a_sheet_that_is_not_xml_is_refused_in_dutch(coordinator_client, sheet):
    source = zipfile.ZipFile(io.BytesIO(_workbook()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as broken:
        for part in source.infolist():
            broken.writestr(part, sheet if part.filename == SHEET else source.read(part))
    response = coordinator_client.post(
        reverse("coordinator:expert_import"), {"file": _xlsx(buffer.getvalue())}
    )
    assert _errors(response) == ["Dit bestand kon niet gelezen worden als Excel-bestand (.xlsx)."]


@pytest.mark.parametrize(
    "content",
    [b"voornaam;e-mail;soort\r\nMila;mila@voorbeeld.nl;ExpEx\r\n", b"PK\x03\x04" + bytes(100)],
    ids=["text named .xlsx", "a zip header and nothing more"],
)
def test_an_xlsx_that_is_not_a_zip_is_refused_in_dutch(coordinator_client, content):
    response = coordinator_client.post(
        reverse("coordinator:expert_import"), {"file": _xlsx(content)}
    )
    assert _errors(response) == ["Dit bestand kon niet gelezen worden als Excel-bestand (.xlsx)."]
    assert not PendingImport.objects.exists()
