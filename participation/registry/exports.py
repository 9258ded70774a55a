"""The registry as CSV or XLSX. Special-category data (themes, private notes, benefit) and the
date of birth and introduction are left out on purpose: an export leaves Samen and its access
rules.

Dates and numbers are written as on the pages, in the coordinator's language (samen/formatting.py):
as text in a CSV; in an XLSX as real dates and numbers that a spreadsheet can sort and add up,
shown in the same format. Both are written as samen/spreadsheets.py says: the CSV for Dutch
Excel (``;``, every field quoted, a byte-order mark), every text cleaned of control characters
and guarded against formulas."""

import datetime
import io
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from experts.models import Expert
from samen.formatting import XLSX_DATE_FORMAT, format_date, format_number
from samen.spreadsheets import (
    BYTE_ORDER_MARK,
    XLSX_MAX_CELL_LENGTH,
    csv_writer,
    spreadsheet_text,
)

EXPORT_CHUNK = 500

EXPORT_COLUMNS = [
    (gettext_lazy("First name"), lambda e: e.first_name),
    (gettext_lazy("Last name"), lambda e: e.last_name),
    (gettext_lazy("E-mail address"), lambda e: e.email),
    (gettext_lazy("Phone number"), lambda e: e.phone),
    (gettext_lazy("Place"), lambda e: e.city),
    (gettext_lazy("Kind"), lambda e: e.get_kind_display()),
    (gettext_lazy("Experience"), lambda e: e.get_expertise_display()),
    (gettext_lazy("Status"), lambda e: e.get_status_display()),
    (gettext_lazy("Available hours per month"), lambda e: e.availability_hours_per_month),
    (gettext_lazy("Hours this month"), lambda e: e.hours_this_month),
    (
        gettext_lazy("Networks"),
        lambda e: ", ".join(p.network.name for p in e.open_placements),
    ),
    (
        gettext_lazy("Preferred roles"),
        lambda e: ", ".join(r.get_role_display() for r in e.preferred_roles.all()),
    ),
    (gettext_lazy("Added on"), lambda e: timezone.localtime(e.created_at).date()),
]


def _safe(value):
    """Every text through the one guard of samen/spreadsheets.py."""
    if isinstance(value, str):
        return spreadsheet_text(value)
    return value


def _export_rows(experts: QuerySet[Expert]) -> Iterator[list]:
    for expert in experts.iterator(chunk_size=EXPORT_CHUNK):
        yield [_safe(getter(expert)) for _label, getter in EXPORT_COLUMNS]


def _csv_cell(value):
    """A CSV holds text: dates and numbers as a reader of this language writes them."""
    if isinstance(value, datetime.date):
        return format_date(value)
    if isinstance(value, Decimal | float):
        return format_number(value)
    return value


def _xlsx_cell(sheet, value):
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = XLSX_DATE_FORMAT
        return cell
    if isinstance(value, str):
        return value[:XLSX_MAX_CELL_LENGTH]
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(experts: QuerySet[Expert], filename: str) -> StreamingHttpResponse:
    writer = csv_writer(_Echo())

    def lines() -> Iterator[str]:
        yield BYTE_ORDER_MARK + writer.writerow([str(label) for label, _getter in EXPORT_COLUMNS])
        for row in _export_rows(experts):
            yield writer.writerow([_csv_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(experts: QuerySet[Expert], filename: str) -> HttpResponse:
    # Write-only mode streams rows to a temporary file instead of holding every cell.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("ExpEx and parents"))
    sheet.append([str(label) for label, _getter in EXPORT_COLUMNS])
    for row in _export_rows(experts):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
