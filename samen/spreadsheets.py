"""Files that people open in a spreadsheet: one way to write them, for every export.

A CSV is written as Dutch Excel reads it: fields separated by ``;`` (Dutch Excel splits on it,
not on ``,``), every field in double quotes (so a ``;``, a quote or a line break in a name stays
inside its cell), and a byte-order mark first (so Excel reads UTF-8, and "Zoë" stays "Zoë").

Every text cell, in CSV and XLSX alike, goes through ``spreadsheet_text()``:

- Control characters that an XLSX file cannot hold (XML 1.0 forbids them; openpyxl refuses
  them) are taken out, so that one pasted character no longer breaks the export. Word's manual
  line break (a vertical tab) and page break (a form feed) become a line break, which a cell can
  hold, so the words on either side stay apart. Every line break is written as Excel writes
  one inside a cell, a line feed: XML reads a carriage return as a line feed anyway, so the
  CSV and the XLSX hold the same text.
- A text that a spreadsheet would run as a formula gets an apostrophe in front ("formula
  injection": ``=HYPERLINK(...)`` in a name field). Quotes do not help: Excel runs ``=...`` in
  a quoted CSV field too. A text is guarded when it starts with ``=``, ``+``, ``-`` or ``@``,
  also after leading spaces, tabs, line breaks or quote marks (some programs trim those on
  import and then see the ``=``), and when it starts with a tab. A phone number such as
  ``+31 6 12345678`` is left as it is: it is not a formula that does anything.
"""

import csv
import re

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

BYTE_ORDER_MARK = "\ufeff"
# Excel's limit on the characters in one cell; a longer text makes Excel "repair" the file.
XLSX_MAX_CELL_LENGTH = 32767


class DutchExcel(csv.excel):
    """The CSV dialect of every export and template: ``;``, every field quoted, CRLF."""

    delimiter = ";"
    quoting = csv.QUOTE_ALL


# Word's line break (vertical tab), page break (form feed) and Windows' and old Mac's line
# ends: a line break in the cell.
_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c]")
_FORMULA = re.compile(r"[\s\"']*[=+\-@]|\t")
_PHONE = re.compile(r"\+\d[\d\s()-]*")


def spreadsheet_text(value: str) -> str:
    """``value`` as a cell of an export holds it: without the control characters an XLSX
    cannot hold, and with an apostrophe in front when a spreadsheet would run it as a
    formula. The guard comes last, so taking a character out cannot uncover a formula."""
    value = ILLEGAL_CHARACTERS_RE.sub("", _BREAKS.sub("\n", value))
    if _FORMULA.match(value) and not _PHONE.fullmatch(value):
        return "'" + value
    return value


def csv_writer(file):
    """A writer of ``DutchExcel`` rows into ``file`` (anything with ``write``). The caller
    writes ``BYTE_ORDER_MARK`` first."""
    return csv.writer(file, dialect=DutchExcel)
