"""Import experts from the coordinator's spreadsheet (CSV or XLSX), all or nothing.

``read_table`` turns an upload into numbered rows of cells. ``plan_columns`` says which column
holds which field: by the spellings Samen knows, or by the coordinator's ``Mapping`` (their
choices for columns and for values such as "moeder" for a parent, remembered per set of column
names in ``ImportMapping``). ``parse_table`` checks every row and reports every bad one (with
the row number the coordinator sees in the spreadsheet: the header is row 1), and
``experts_import`` (services.py) writes the rows in one transaction.
Nothing is written unless every row is good.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import hashlib
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from experts.models import Expert, ExpertKind, ExpertRole, ExpertStatus, Theme
from experts.models import Expertise as ExpertiseChoice
from samen.formatting import format_date
from samen.spreadsheets import BYTE_ORDER_MARK, csv_writer

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_ROWS = 5000
# An .xlsx is a zip of XML files; 5 MB packed can unpack to gigabytes (a "zip bomb"), which
# openpyxl would read into memory (the shared strings all at once). A real list of 5,000
# experts unpacks to a few megabytes.
DEFAULT_MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# XML packs well, but not this well: a part of more than a megabyte that unpacks to more than
# this many times its packed size is made to fill memory, not to hold a spreadsheet.
MAX_PACKING_RATIO = 100
PACKING_RATIO_CHECKED_ABOVE = 1024 * 1024
# Excel keeps formatting on rows far below the data; those empty rows are skipped, but a file
# with millions of them (or a crafted one) must not keep the server busy.
EMPTY_ROWS_TOLERATED = 10_000
MAX_COLUMNS = 50
MAX_HOURS_PER_MONTH = Decimal("744")  # 31 days of 24 hours

Cell = str | int | float | Decimal | bool | datetime.date | datetime.datetime | datetime.time | None


class ExpertImportError(Exception):
    """The file cannot be imported. ``messages`` says why, one line per problem."""

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = [str(m) for m in messages]


def max_bytes() -> int:
    return getattr(settings, "SAMEN_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_rows() -> int:
    return getattr(settings, "SAMEN_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def max_unpacked_bytes() -> int:
    return getattr(settings, "SAMEN_IMPORT_MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED_BYTES)


# --- Columns -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as written in the template file
    label: object  # translatable name used in error messages
    spellings: frozenset[str]
    required: bool = False


def _key(text: object) -> str:
    """Lower case, accents and punctuation removed: 'Thema's' and 'THEMAS' are the same."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed.casefold() if c.isalnum() and c.isascii())


def _column(key, header, label, spellings, *, required=False) -> Column:
    return Column(key, header, label, frozenset(_key(s) for s in spellings), required)


COLUMNS: tuple[Column, ...] = (
    _column(
        "first_name",
        "voornaam",
        gettext_lazy("first name"),
        ["voornaam", "roepnaam", "first name"],
        required=True,
    ),
    _column(
        "last_name",
        "achternaam",
        gettext_lazy("last name"),
        ["achternaam", "familienaam", "tussenvoegsel en achternaam", "last name"],
    ),
    _column(
        "email",
        "e-mail",
        gettext_lazy("e-mail address"),
        ["e-mail", "email", "e-mailadres", "emailadres", "mailadres", "mail", "e-mail address"],
        required=True,
    ),
    _column(
        "phone",
        "telefoon",
        gettext_lazy("phone number"),
        ["telefoon", "telefoonnummer", "tel", "telnr", "mobiel", "06", "phone"],
    ),
    _column("city", "woonplaats", gettext_lazy("place"), ["woonplaats", "plaats", "city"]),
    _column(
        "kind",
        "soort",
        gettext_lazy("kind"),
        [
            "soort",
            "type",
            "doelgroep",
            "ExpEx of ouder",
            "ExpEx/ouder",
            "ouder of ExpEx",
            "jongere of ouder",
            "jongere/ouder",
            "kind",
        ],
        required=True,
    ),
    _column(
        "expertise",
        "ervaring",
        gettext_lazy("experience"),
        ["ervaring", "deskundigheid", "ervaringskennis/deskundigheid", "expertise", "experience"],
    ),
    _column(
        "date_of_birth",
        "geboortedatum",
        gettext_lazy("date of birth"),
        ["geboortedatum", "geb. datum", "geboren", "geboren op", "date of birth", "birth date"],
    ),
    _column(
        "availability",
        "beschikbaar",
        gettext_lazy("available hours per month"),
        [
            "beschikbaar",
            "beschikbaarheid",
            "uren per maand",
            "uren p/m",
            "uren pm",
            "uren/maand",
            "uren per mnd",
            "beschikbaar (uren per maand)",
            "beschikbare uren",
            "beschikbare uren per maand",
            "availability",
            "hours per month",
        ],
    ),
    _column("themes", "thema's", gettext_lazy("themes"), ["thema's", "thema", "themes"]),
    _column("roles", "rollen", gettext_lazy("roles"), ["rollen", "rol", "roles", "role"]),
    _column("coach", "begeleider", gettext_lazy("coach"), ["begeleider", "begeleiding", "coach"]),
    _column("status", "status", gettext_lazy("status"), ["status"]),
)
COLUMNS_BY_KEY = {c.key: c for c in COLUMNS}
TEMPLATE_HEADERS = [c.header for c in COLUMNS]

# Accepted cell values, compared after _key(): Dutch first, English and the stored codes too.
KIND_VALUES = {
    **dict.fromkeys(["expex", "jongere", "jongeren", "jong", "youth"], ExpertKind.YOUTH),
    **dict.fromkeys(["ouder", "ouders", "moeder", "vader", "parent"], ExpertKind.PARENT),
}
EXPERTISE_VALUES = {
    **dict.fromkeys(["ervaringskennis", "kennis", "knowledge"], ExpertiseChoice.KNOWLEDGE),
    **dict.fromkeys(
        [
            "ervaringsdeskundig",
            "ervaringsdeskundige",
            "ervaringsdeskundigheid",
            "getraind",
            "trained",
            "expertise",
        ],
        ExpertiseChoice.EXPERTISE,
    ),
}
STATUS_VALUES = {
    **dict.fromkeys(["kandidaat", "candidate"], ExpertStatus.CANDIDATE),
    **dict.fromkeys(["actief", "active"], ExpertStatus.ACTIVE),
    **dict.fromkeys(["pauze", "neemtpauze", "gepauzeerd", "paused"], ExpertStatus.PAUSED),
    **dict.fromkeys(["gestopt", "stopped"], ExpertStatus.STOPPED),
}
ROLE_VALUES = {
    **dict.fromkeys(["verbinden", "connecting"], ExpertRole.CONNECTING),
    **dict.fromkeys(["onderwijs", "education"], ExpertRole.EDUCATION),
    **dict.fromkeys(
        ["onderzoekenbeleid", "researchandpolicy", "researchpolicy"], ExpertRole.RESEARCH_POLICY
    ),
    **dict.fromkeys(["emotionelesteun", "emotionalsupport"], ExpertRole.EMOTIONAL_SUPPORT),
    **dict.fromkeys(["belangenbehartiging", "advocacy"], ExpertRole.ADVOCACY),
    **dict.fromkeys(
        ["navigerenenplannen", "navigatingandplanning", "navigating"], ExpertRole.NAVIGATING
    ),
}
# Dutch names shown on the upload page, whatever the interface language: the file is Dutch.
ROLE_NAMES_NL = [
    "verbinden",
    "onderwijs",
    "onderzoek en beleid",
    "emotionele steun",
    "belangenbehartiging",
    "navigeren en plannen",
]


# --- Reading the file ----------------------------------------------------------------------


@dataclass
class Table:
    """The header and the non-empty rows, each with its row number in the spreadsheet."""

    header: list[Cell]
    header_row: int
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)

    def to_json(self) -> dict:
        """Plain JSON: the table waits in a ``PendingImport`` until the import is confirmed or
        cancelled, so that it can be read again with another mapping."""
        return {
            "header": [_cell_to_json(c) for c in self.header],
            "header_row": self.header_row,
            "rows": [[number, [_cell_to_json(c) for c in cells]] for number, cells in self.rows],
        }

    @classmethod
    def from_json(cls, data: dict) -> Table:
        return cls(
            header=[_cell_from_json(c) for c in data["header"]],
            header_row=data["header_row"],
            rows=[(number, [_cell_from_json(c) for c in cells]) for number, cells in data["rows"]],
        )


_CELL_TYPES: dict[str, type] = {
    # datetime before date: a datetime is a date too.
    "datetime": datetime.datetime,
    "date": datetime.date,
    "time": datetime.time,
}


def _cell_to_json(cell: Cell) -> object:
    """Text, numbers and empty cells as they are; dates, times and decimals tagged, so a real
    Excel date stays a date. A cell from a file is never a dict, so the tag is unambiguous."""
    if isinstance(cell, Decimal):
        return {"decimal": str(cell)}
    for name, kind in _CELL_TYPES.items():
        if isinstance(cell, kind):
            return {name: cell.isoformat()}
    return cell


def _cell_from_json(value: object) -> Cell:
    if not isinstance(value, dict):
        return value  # type: ignore[return-value]
    ((name, text),) = value.items()
    if name == "decimal":
        return Decimal(text)
    return _CELL_TYPES[name].fromisoformat(text)


def read_table(upload: UploadedFile) -> Table:
    """Read a CSV or XLSX upload. The size is checked before a single byte is read."""
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ExpertImportError(
            [
                _(
                    "The file is too large (%(size)s). The maximum is %(max)s. "
                    "Split the file into smaller parts."
                )
                % {"size": filesizeformat(upload.size), "max": filesizeformat(limit)}
            ]
        )
    if not upload.size:
        raise ExpertImportError([_("The file is empty.")])
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    name = (upload.name or "").lower()
    if head.startswith(b"PK\x03\x04"):
        return _read_xlsx(upload)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ExpertImportError(
            [_("This is an old Excel file (.xls). Save it as .xlsx or as CSV and try again.")]
        )
    if name.endswith((".xlsx", ".xlsm")):
        raise _not_xlsx()
    return _read_csv(b"".join(upload.chunks()))


def _not_readable() -> ExpertImportError:
    return ExpertImportError(
        [_("This is not a CSV or Excel file (.xlsx). Save your spreadsheet as CSV or .xlsx.")]
    )


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _decode(data: bytes) -> str:
    """UTF-8 with or without BOM, UTF-16 with BOM, or Windows-1252 as Excel saves CSV."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    else:
        candidates = ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CONTROL_CHARACTERS.search(text):
            raise _not_readable()
        return text
    raise _not_readable()


def _delimiter(text: str) -> str:
    """Excel in Dutch saves CSV with semicolons; elsewhere commas are usual."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        return _collect(enumerate(reader, start=1))
    except csv.Error as exc:
        raise _not_readable() from exc


def _not_xlsx() -> ExpertImportError:
    return ExpertImportError([_("This file could not be read as an Excel file (.xlsx).")])


def _check_unpacked_size(upload: UploadedFile) -> None:
    """Refuse an .xlsx that unpacks to more than ``max_unpacked_bytes()`` in all or in one
    part, or that is packed beyond any spreadsheet, before openpyxl reads it. The sizes come
    from the zip's directory without unpacking anything; they bound what openpyxl can read,
    because zipfile never unpacks more of a part than its stated size (and refuses a part
    whose data does not match it)."""
    limit = max_unpacked_bytes()
    try:
        with zipfile.ZipFile(upload) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise _not_xlsx() from exc
    finally:
        upload.seek(0)
    total = 0
    for part in parts:
        total += part.file_size
        if part.file_size > limit or total > limit:
            raise ExpertImportError(
                [
                    _(
                        "This Excel file is too large when unpacked: more than %(max)s. "
                        "Save only the sheet with the experts, or save it as CSV."
                    )
                    % {"max": filesizeformat(limit)}
                ]
            )
        if (
            part.file_size > PACKING_RATIO_CHECKED_ABOVE
            and part.file_size > MAX_PACKING_RATIO * max(part.compress_size, 1)
        ):
            raise ExpertImportError(
                [
                    _(
                        "This Excel file is packed in a way Samen does not read, to keep the "
                        "server safe. Open it in Excel and save it again, or save it as CSV."
                    )
                ]
            )


def _read_xlsx(upload: UploadedFile) -> Table:
    _check_unpacked_size(upload)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it ignores; the data is read anyway.
            warnings.simplefilter("ignore")
            workbook = load_workbook(upload, read_only=True, data_only=True)
            try:
                if not workbook.worksheets:
                    raise ExpertImportError([_("The file is empty.")])
                sheet = workbook.worksheets[0]
                rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
                return _collect(enumerate(rows, start=1))
            finally:
                workbook.close()
    except ExpertImportError:
        raise
    except (
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        TypeError,
        OSError,
        EOFError,
        SyntaxError,  # XML that does not parse (ElementTree's and lxml's ParseError)
    ) as exc:
        raise _not_xlsx() from exc


def _is_empty(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _collect(numbered_rows: Iterable[tuple[int, Sequence[Cell]]]) -> Table:
    """Keep the non-empty rows with their numbers; stop early when there are too many."""
    limit = max_rows()
    table: Table | None = None
    scanned = 0
    for number, row in numbered_rows:
        scanned += 1
        if scanned > limit + EMPTY_ROWS_TOLERATED + 1 or (table and len(table.rows) > limit):
            raise _too_many_rows(limit)
        cells = list(row[:MAX_COLUMNS])
        if all(_is_empty(c) for c in cells):
            continue
        if table is None:
            table = Table(header=cells, header_row=number)
        else:
            table.rows.append((number, cells))
    if table is None:
        raise ExpertImportError([_("The file is empty.")])
    if len(table.rows) > limit:
        raise _too_many_rows(limit)
    if not table.rows:
        raise ExpertImportError(
            [_("The file has column names but no experts. Add one expert per row.")]
        )
    return table


def _too_many_rows(limit: int) -> ExpertImportError:
    return ExpertImportError(
        [
            _("The file has more than %(max)s rows. Split it into smaller files.")
            % {"max": number_format(limit, force_grouping=True)}
        ]
    )


# --- Which column holds which field, and what its values mean ------------------------------

NOT_IMPORTED = ""  # a column the coordinator chose to leave out
SPELLING_TO_KEY = {s: c.key for c in COLUMNS for s in c.spellings}

# Fields with a fixed set of values, the values a file may use for them, and the choices a
# coordinator may give an unknown value. Roles hold a list: each name in it is one value.
VALUE_FIELDS: dict[str, dict[str, str]] = {
    "kind": KIND_VALUES,
    "expertise": EXPERTISE_VALUES,
    "status": STATUS_VALUES,
    "roles": ROLE_VALUES,
}
_VALUE_ENUMS = {
    "kind": ExpertKind,
    "expertise": ExpertiseChoice,
    "status": ExpertStatus,
    "roles": ExpertRole,
}


def value_choices(field_key: str) -> list[tuple[str, str]]:
    """What an unknown value of a field may be set to: the choices the file may name."""
    allowed = set(VALUE_FIELDS[field_key].values())
    return [(c.value, str(c.label)) for c in _VALUE_ENUMS[field_key] if c.value in allowed]


@dataclass
class Mapping:
    """The coordinator's choices for one spreadsheet. ``columns``: for a column name (written
    as ``_key`` writes it) the field it holds, or NOT_IMPORTED. ``values``: per field, what a
    value in the file (written as ``_key`` writes it) means. Where the mapping says nothing,
    the spellings above decide."""

    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def from_data(cls, data: dict | None) -> Mapping:
        """From a pending import or the database. What Samen no longer knows is left out, so an
        old mapping never breaks an import."""
        data = data or {}
        columns = {
            str(name): chosen
            for name, chosen in (data.get("columns") or {}).items()
            if chosen == NOT_IMPORTED or chosen in COLUMNS_BY_KEY
        }
        values = {}
        for field_key, chosen in (data.get("values") or {}).items():
            if field_key in VALUE_FIELDS and isinstance(chosen, dict):
                allowed = {code for code, _label in value_choices(field_key)}
                values[field_key] = {str(k): v for k, v in chosen.items() if v in allowed}
        return cls(columns=columns, values=values)

    def to_data(self) -> dict:
        return {
            "columns": dict(self.columns),
            "values": {f: dict(v) for f, v in self.values.items()},
        }

    def field_for(self, name: object) -> str:
        """The field a column holds, by its name in the file."""
        key = _key(name)
        if key in self.columns:
            return self.columns[key]
        return SPELLING_TO_KEY.get(key, NOT_IMPORTED)

    def value(self, field_key: str, text: str) -> str | None:
        """What a value means, or None when neither the coordinator nor Samen knows it."""
        key = _key(text)
        return self.values.get(field_key, {}).get(key) or VALUE_FIELDS[field_key].get(key)


@dataclass
class FileColumn:
    key: str  # the name as ``_key`` writes it: how a mapping names the column
    name: str  # as in the file
    example: str  # the first value in the column, to recognise it by


def file_columns(table: Table) -> list[FileColumn]:
    """The columns of the file, each name once, in the file's order."""
    found: dict[str, FileColumn] = {}
    for index, cell in enumerate(table.header):
        if _is_empty(cell) or _key(cell) in found:
            continue
        example = next(
            (
                _shown(cells[index])
                for _number, cells in table.rows
                if index < len(cells) and not _is_empty(cells[index])
            ),
            "",
        )
        found[_key(cell)] = FileColumn(_key(cell), str(cell).strip(), example[:60])
    return list(found.values())


def column_names(header: Sequence[Cell]) -> list[str]:
    """The names of the columns as in the file, each once, in the file's order."""
    names: dict[str, str] = {}
    for cell in header:
        if not _is_empty(cell):
            names.setdefault(_key(cell), str(cell).strip())
    return list(names.values())


def header_key(header: Sequence[Cell]) -> str:
    """The same for every file with the same column names, in any order or spelling."""
    keys = sorted({_key(name) for name in column_names(header)})
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()


@dataclass
class ColumnPlan:
    """Where each field is in the file; the columns left out; what stops the import."""

    positions: dict[str, int]
    ignored: list[str]
    problems: list[str]


def plan_columns(header: Sequence[Cell], mapping: Mapping) -> ColumnPlan:
    """Every required field needs one column, and no field may have two."""
    found: dict[str, list[str]] = {}  # field -> the keys of its columns' names
    shown: dict[str, str] = {}  # a name's key -> the name as first written in the file
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for index, cell in enumerate(header):
        if _is_empty(cell):
            continue
        name = str(cell).strip()
        name_key = _key(name)
        key = mapping.field_for(name)
        if key == NOT_IMPORTED:
            if name_key not in shown:
                ignored.append(name)
        else:
            found.setdefault(key, []).append(name_key)
            positions.setdefault(key, index)
        shown.setdefault(name_key, name)
    problems = []
    missing = [str(c.label) for c in COLUMNS if c.required and c.key not in found]
    if missing:
        problems.append(
            _("Samen needs a column for: %(fields)s. Choose below which of your columns holds it.")
            % {"fields": ", ".join(missing)}
        )
    for column in COLUMNS:
        keys = found.get(column.key, [])
        distinct = list(dict.fromkeys(keys))
        for name_key in distinct:
            if keys.count(name_key) > 1:
                problems.append(
                    _(
                        "Your file has more than one column named %(column)s. Samen cannot tell "
                        "them apart. Choose 'do not import' for it, or give the columns "
                        "different names in your file."
                    )
                    % {"column": shown[name_key]}
                )
        if len(distinct) > 1:
            problems.append(
                _(
                    "These columns are all read as %(field)s: %(columns)s. Choose %(field)s "
                    "for one of them only."
                )
                % {"field": column.label, "columns": ", ".join(shown[k] for k in distinct)}
            )
    return ColumnPlan(positions=positions, ignored=ignored, problems=problems)


# --- Checking the rows ---------------------------------------------------------------------


@dataclass
class ExpertRow:
    """One checked row, ready to be written."""

    row: int
    first_name: str
    last_name: str = ""
    email: str = ""
    phone: str = ""
    city: str = ""
    kind: str = ExpertKind.YOUTH
    expertise: str = ExpertiseChoice.KNOWLEDGE
    date_of_birth: datetime.date | None = None
    availability_hours_per_month: Decimal = Decimal("0")
    themes: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    coach: str = ""
    status: str = ExpertStatus.ACTIVE

    def to_expert(self) -> Expert:
        return Expert(
            first_name=self.first_name,
            last_name=self.last_name,
            email=self.email,
            phone=self.phone,
            city=self.city,
            kind=self.kind,
            expertise=self.expertise,
            date_of_birth=self.date_of_birth,
            availability_hours_per_month=self.availability_hours_per_month,
            coach=self.coach,
            status=self.status,
        )

    def get_kind_display(self) -> str:
        return str(ExpertKind(self.kind).label)

    def get_expertise_display(self) -> str:
        return str(ExpertiseChoice(self.expertise).label)

    def get_status_display(self) -> str:
        return str(ExpertStatus(self.status).label)

    def get_roles_display(self) -> list[str]:
        return [str(ExpertRole(r).label) for r in self.roles]


@dataclass
class ParsedImport:
    """The rows that are good, and what is wrong: with the columns (nothing can be read), or
    with rows (each problem with its row number)."""

    rows: list[ExpertRow]
    ignored_columns: list[str]
    column_problems: list[str] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def messages(self) -> list[str]:
        return self.column_problems + messages_in_row_order(self.errors)


def read_rows(table: Table, mapping: Mapping | None = None) -> ParsedImport:
    """Check every row on its own, without the database."""
    mapping = mapping or Mapping()
    plan = plan_columns(table.header, mapping)
    if plan.problems:
        return ParsedImport(rows=[], ignored_columns=plan.ignored, column_problems=plan.problems)
    errors: list[tuple[int, str]] = []
    rows: list[ExpertRow] = []
    for number, cells in table.rows:
        values = {key: (cells[i] if i < len(cells) else None) for key, i in plan.positions.items()}
        row, row_errors = _parse_row(number, values, mapping)
        errors.extend((number, e) for e in row_errors)
        if row is not None:
            rows.append(row)
    return ParsedImport(rows=rows, ignored_columns=plan.ignored, errors=errors)


def parse_table(table: Table, mapping: Mapping | None = None) -> ParsedImport:
    """Check every row, also against the database (e-mail addresses, themes); every problem
    is in the result, none is raised."""
    parsed = read_rows(table, mapping)
    if not parsed.column_problems:
        parsed.errors.extend(check_rows(parsed.rows)[0])
    return parsed


@dataclass
class FileValue:
    """A value in the file that Samen does not know by itself: how it is written, in how many
    rows, and what the coordinator chose it to mean ("" when nothing yet)."""

    key: str
    text: str
    rows: int
    chosen: str


@dataclass
class FieldValues:
    field: str
    column: str  # the column's name in the file
    values: list[FileValue]
    more: bool  # more than the limit: only the first are in ``values``


def values_to_choose(table: Table, mapping: Mapping, *, limit: int) -> list[FieldValues]:
    """Per field with fixed values: the values in the file that Samen does not know by itself,
    in the order they first appear, with the coordinator's choice if any. At most ``limit`` per
    field: a column of names mapped to the kind by mistake must not become thousands of
    choices (nor be remembered)."""
    plan = plan_columns(table.header, mapping)
    found = []
    for field_key, known in VALUE_FIELDS.items():
        index = plan.positions.get(field_key)
        if index is None:
            continue
        seen: dict[str, FileValue] = {}
        for _number, cells in table.rows:
            cell = cells[index] if index < len(cells) else None
            for text in _split(cell) if field_key == "roles" else [_text(cell)]:
                key = _key(text)
                if not text or key in known:
                    continue
                if key not in seen:
                    chosen = mapping.values.get(field_key, {}).get(key, "")
                    seen[key] = FileValue(key=key, text=text, rows=0, chosen=chosen)
                seen[key].rows += 1
        if seen:
            values = list(seen.values())
            column = str(table.header[index]).strip()
            found.append(FieldValues(field_key, column, values[:limit], len(values) > limit))
    return found


def check_rows(rows: Sequence[ExpertRow]) -> tuple[list[tuple[int, str]], dict[str, int]]:
    """The checks that span rows or need the database: an address twice in the file or already
    in Samen, themes that do not exist, and the model's own checks (lengths, choices). Returns
    the problems with their row numbers, and the pk of each theme named."""
    database_errors, theme_ids = _check_against_database(rows)
    errors = _duplicates_in_file(rows) + database_errors
    for row in rows:
        errors.extend((row.row, e) for e in _model_errors(row, row.to_expert()))
    return errors, theme_ids


def messages_in_row_order(errors: list[tuple[int, str]]) -> list[str]:
    return [message for _number, message in _sorted(errors)]


def _sorted(errors: list[tuple[int, str]]) -> list[tuple[int, str]]:
    return sorted(errors, key=lambda e: e[0])  # stable: a row's problems stay in column order


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat()
    return str(cell).strip()


def _row_error(number: int, message: str, **values) -> str:
    return _("Row %(row)s: %(problem)s") % {"row": number, "problem": message % values}


def _parse_row(
    number: int, values: dict[str, Cell], mapping: Mapping
) -> tuple[ExpertRow | None, list[str]]:
    errors: list[str] = []

    def error(message: str, **kwargs) -> None:
        errors.append(_row_error(number, message, **kwargs))

    first_name = _text(values.get("first_name"))
    if not first_name:
        error(_("the first name is empty."))

    email = _text(values.get("email"))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            error(_("e-mail address '%(value)s' is not valid."), value=email)

    kind_text = _text(values.get("kind"))
    kind = mapping.value("kind", kind_text)
    if not kind_text:
        error(_("the kind is empty. Use ExpEx, jongere or ouder."))
    elif kind is None:
        error(_("kind '%(value)s' is unknown. Use ExpEx, jongere or ouder."), value=kind_text)

    expertise_text = _text(values.get("expertise"))
    expertise = mapping.value("expertise", expertise_text) or ExpertiseChoice.KNOWLEDGE
    if expertise_text and mapping.value("expertise", expertise_text) is None:
        error(
            _(
                "experience '%(value)s' is unknown. Use ervaringskennis, ervaringsdeskundig "
                "or getraind."
            ),
            value=expertise_text,
        )

    status_text = _text(values.get("status"))
    status = mapping.value("status", status_text) or ExpertStatus.ACTIVE
    if status_text and mapping.value("status", status_text) is None:
        error(
            _("status '%(value)s' is unknown. Use kandidaat, actief, pauze or gestopt."),
            value=status_text,
        )

    born, problem = _date_of_birth(values.get("date_of_birth"))
    if problem:
        error(problem, value=_shown(values.get("date_of_birth")))

    hours, problem = _hours(values.get("availability"))
    if problem:
        error(problem, value=_shown(values.get("availability")))

    roles: list[str] = []
    for name in _split(values.get("roles")):
        role = mapping.value("roles", name)
        if role is None:
            error(
                _("role '%(value)s' is unknown. Use: %(roles)s."),
                value=name,
                roles=", ".join(ROLE_NAMES_NL),
            )
        elif role not in roles:
            roles.append(role)

    themes = []
    for name in _split(values.get("themes")):
        if name.casefold() not in {t.casefold() for t in themes}:
            themes.append(name)

    if errors:
        return None, errors
    return (
        ExpertRow(
            row=number,
            first_name=first_name,
            last_name=_text(values.get("last_name")),
            email=email,
            phone=_text(values.get("phone")),
            city=_text(values.get("city")),
            kind=kind,
            expertise=expertise,
            date_of_birth=born,
            availability_hours_per_month=hours,
            themes=themes,
            roles=roles,
            coach=_text(values.get("coach")),
            status=status,
        ),
        [],
    )


def _shown(cell: Cell) -> str:
    if isinstance(cell, datetime.datetime | datetime.date):
        return format_date(cell)
    return _text(cell)


def _split(cell: Cell) -> list[str]:
    return [part.strip() for part in re.split(r"[,;]", _text(cell)) if part.strip()]


_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_YEAR_FIRST = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")


def _date_of_birth(cell: Cell) -> tuple[datetime.date | None, str | None]:
    """dd-mm-jjjj, d-m-jjjj, jjjj-mm-dd, or a real Excel date cell. A bare number (a year, or a
    date cell that lost its format) is refused rather than guessed."""
    if _is_empty(cell):
        return None, None
    not_valid = _("date of birth '%(value)s' is not a valid date.")
    if isinstance(cell, datetime.datetime):
        born = cell.date()
    elif isinstance(cell, datetime.date):
        born = cell
    else:
        text = _text(cell)
        if match := _DAY_FIRST.match(text):
            day, month, year = (int(g) for g in match.groups())
        elif match := _YEAR_FIRST.match(text):
            year, month, day = (int(g) for g in match.groups())
        else:
            return None, _(
                "date of birth '%(value)s' is not a date. Write it as dd-mm-jjjj, "
                "for example 31-01-2004."
            )
        try:
            born = datetime.date(year, month, day)
        except ValueError:
            return None, not_valid
    if born > timezone.localdate():
        return None, _("date of birth '%(value)s' lies in the future.")
    if born.year < 1900:
        return None, not_valid
    return born, None


_HOURS = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(?:uur|u|h)?$", re.IGNORECASE)


def _hours(cell: Cell) -> tuple[Decimal, str | None]:
    if _is_empty(cell):
        return Decimal("0"), None
    not_hours = _("available hours '%(value)s' is not a number of hours per month.")
    if isinstance(cell, bool) or not isinstance(cell, int | float | Decimal | str):
        return Decimal("0"), not_hours
    if isinstance(cell, str):
        match = _HOURS.match(cell.strip())
        if not match:
            return Decimal("0"), not_hours
        text = match.group(1).replace(",", ".")
    else:
        text = str(cell)
    try:
        hours = Decimal(text).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return Decimal("0"), not_hours
    if hours < 0 or hours > MAX_HOURS_PER_MONTH:
        return Decimal("0"), not_hours
    return hours, None


def _duplicates_in_file(rows: Sequence[ExpertRow]) -> list[tuple[int, str]]:
    first_seen: dict[str, int] = {}
    errors = []
    for row in rows:
        if not row.email:
            continue
        key = row.email.casefold()
        if key in first_seen:
            errors.append(
                (
                    row.row,
                    _row_error(
                        row.row,
                        _("e-mail address '%(value)s' is also in row %(other)s."),
                        value=row.email,
                        other=first_seen[key],
                    ),
                )
            )
        else:
            first_seen[key] = row.row
    return errors


def _check_against_database(
    rows: Sequence[ExpertRow],
) -> tuple[list[tuple[int, str]], dict[str, int]]:
    """Themes must exist (they are never made up by an import) and e-mail addresses must be
    new: an import adds experts, it does not change the ones already in Samen. Theme names
    are set to their spelling in Samen. Returns the problems and the theme ids by name."""
    errors = []
    theme_ids = dict(Theme.objects.values_list("name", "pk"))
    spelling = {name.casefold(): name for name in theme_ids}
    for row in rows:
        # Written as the admin spelled it, whatever the case in the file.
        row.themes = [spelling.get(name.casefold(), name) for name in row.themes]
        for name in row.themes:
            if name not in theme_ids:
                errors.append(
                    (
                        row.row,
                        _row_error(
                            row.row,
                            _(
                                "theme '%(value)s' does not exist. Check the spelling, or ask "
                                "the administrator to add the theme."
                            ),
                            value=name,
                        ),
                    )
                )
    emails = {row.email.casefold() for row in rows if row.email}
    taken = set(
        Expert.objects.annotate(email_key=Lower("email"))
        .filter(email_key__in=emails)
        .values_list("email_key", flat=True)
    )
    for row in rows:
        if row.email and row.email.casefold() in taken:
            errors.append(
                (
                    row.row,
                    _row_error(
                        row.row,
                        _("an expert with e-mail address '%(value)s' is already in Samen."),
                        value=row.email,
                    ),
                )
            )
    return errors, theme_ids


def _model_errors(row: ExpertRow, expert: Expert) -> list[str]:
    """The model's own checks (lengths, choices). Uniqueness was checked above in one query;
    the database constraint still guards against a race."""
    try:
        expert.full_clean(
            exclude=["user", "recruitment_source"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        return [
            _row_error(
                row.row,
                _("%(column)s: %(message)s"),
                column=_field_label(name),
                message=" ".join(messages),
            )
            for name, messages in exc.message_dict.items()
        ]
    return []


def _field_label(name: str) -> str:
    column = {"availability_hours_per_month": "availability"}.get(name, name)
    if column in COLUMNS_BY_KEY:
        return str(COLUMNS_BY_KEY[column].label)
    return name


def template_csv() -> str:
    """The header row of the template file, as every export writes a CSV (``DutchExcel``:
    semicolons, quoted), with the byte-order mark that makes Excel read it as UTF-8."""
    buffer = io.StringIO()
    buffer.write(BYTE_ORDER_MARK)
    csv_writer(buffer).writerow(TEMPLATE_HEADERS)
    return buffer.getvalue()
