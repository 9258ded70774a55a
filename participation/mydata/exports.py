"""The download of everything Samen holds about an expert: one ZIP file with

- ``gegevens.json``: every table of ``registry.PERSONAL_DATA`` about the expert (and its
  history), every field as stored, for a program to read;
- ``tabellen/<table>.csv``: the same tables for a spreadsheet, one file each, written as
  ``samen/spreadsheets.py`` writes every CSV (names of choices, dates and numbers as on the
  pages, every text guarded against formulas);
- ``bestanden/...``: the files (receipts, scans of consents), as they were uploaded;
- a text in the expert's language that says what is in it and what was left out, and why.

A table without rows is in the JSON and has a CSV with its header only: the file says what
Samen could hold, not only what it holds."""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.formatting import format_date, format_datetime, format_number
from samen.spreadsheets import BYTE_ORDER_MARK, csv_writer, spreadsheet_text

from .registry import Erase, PersonalData

JSON_NAME = "gegevens.json"
CSV_FOLDER = "tabellen"
FILES_FOLDER = "bestanden"
COPY_CHUNK = 1024 * 1024


@dataclass
class Table:
    """One table of the download: a model's rows about the expert."""

    model: type[models.Model]
    rows: list[models.Model]
    left_out: dict[str, str]
    columns: list[models.Field] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.model._meta.label_lower

    @property
    def name(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def csv_name(self) -> str:
        return f"{CSV_FOLDER}/{self.key}.csv"


def _tables(data: PersonalData) -> list[Table]:
    tables = []
    for found in data:
        if found.rule.erase is Erase.NOT_ABOUT:
            continue
        own = [Table(found.model, list(found.rows.order_by("pk")), {})]
        history = data.history_rows(found)
        if history is not None:
            own.append(Table(history.model, list(history.order_by("history_date", "pk")), {}))
        for table in own:
            names = {column.name for column in table.model._meta.concrete_fields}
            table.left_out = {
                name: str(reason) for name, reason in found.rule.left_out.items() if name in names
            }
            table.columns = [
                column
                for column in table.model._meta.concrete_fields
                if column.name not in table.left_out
            ]
        tables += own
    return tables


def _is_relation(column: models.Field) -> bool:
    """A foreign key or one-to-one field (the only relations with a column)."""
    return bool(column.is_relation)


def _labels(tables: list[Table], personal: set[type[models.Model]]) -> dict:
    """The name of each row that a relation points to outside the download (a network, a
    meeting, a request): one query per model. Relations to rows in the download, and to
    accounts (coordinators), stay ids."""
    wanted: dict[type[models.Model], set] = {}
    for table in tables:
        for column in table.columns:
            target = column.related_model if _is_relation(column) else None
            if target is None or target in personal:
                continue
            for row in table.rows:
                value = getattr(row, column.attname)
                if value is not None:
                    wanted.setdefault(target, set()).add(value)
    return {
        target: {pk: str(obj) for pk, obj in target._base_manager.in_bulk(ids).items()}
        for target, ids in wanted.items()
    }


def _json_value(column: models.Field, row: models.Model) -> Any:
    value = getattr(row, column.attname)
    if isinstance(column, models.FileField):
        return getattr(value, "name", value) or ""
    return value


def _csv_value(column: models.Field, value: Any) -> str:
    if value is None:
        return ""
    if column.choices and not _is_relation(column):
        return spreadsheet_text(str(dict(column.flatchoices).get(value, value)))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return format_datetime(value)
    if isinstance(value, datetime.date):
        return format_date(value)
    if isinstance(value, Decimal | float):
        return format_number(value)
    if isinstance(value, dict | list):
        return spreadsheet_text(json.dumps(value, ensure_ascii=False))
    return spreadsheet_text(str(value))


def _row(table: Table, row: models.Model, labels: dict) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for column in table.columns:
        value = _json_value(column, row)
        values[column.name] = value
        names = labels.get(column.related_model) if _is_relation(column) else None
        if names is not None and value is not None:
            values[f"{column.name}__label"] = names.get(value, "")
    return values


def _header(table: Table, labels: dict) -> list[tuple[str, str, models.Field]]:
    """(JSON key, column title, field) per CSV column."""
    header = []
    for column in table.columns:
        title = str(column.verbose_name)
        header.append((column.name, title[:1].upper() + title[1:], column))
        if _is_relation(column) and column.related_model in labels:
            header.append((f"{column.name}__label", _("%(field)s (name)") % {"field": title}, None))
    return header


def _write_csv(archive: zipfile.ZipFile, table: Table, rows: list[dict], labels: dict) -> None:
    header = _header(table, labels)
    with archive.open(table.csv_name, "w") as binary:
        text = io.TextIOWrapper(binary, encoding="utf-8", newline="")
        text.write(BYTE_ORDER_MARK)
        writer = csv_writer(text)
        writer.writerow([spreadsheet_text(title) for _key, title, _column in header])
        for row in rows:
            writer.writerow(
                [
                    _csv_value(column, row.get(key))
                    if column is not None
                    else spreadsheet_text(row.get(key, ""))
                    for key, _title, column in header
                ]
            )
        text.flush()
        text.detach()


def _file_columns(table: Table) -> list[models.FileField]:
    return [column for column in table.columns if isinstance(column, models.FileField)]


def _copy_files(archive: zipfile.ZipFile, tables: list[Table]) -> list[dict]:
    """The files of the expert's rows (not of their history: an old version's file was
    deleted when it was replaced), each once."""
    copied: list[dict] = []
    seen: set[str] = set()
    for table in tables:
        if hasattr(table.model, "instance_type"):  # a history
            continue
        for column in _file_columns(table):
            for row in table.rows:
                name = getattr(row, column.attname).name
                if not name or name in seen:
                    continue
                seen.add(name)
                entry = {"table": table.key, "id": row.pk, "field": column.name}
                try:
                    source = column.storage.open(name, "rb")
                except FileNotFoundError:
                    copied.append({**entry, "path": "", "missing": True})
                    continue
                path = f"{FILES_FOLDER}/{name}"
                with source, archive.open(path, "w", force_zip64=True) as target:
                    while chunk := source.read(COPY_CHUNK):
                        target.write(chunk)
                copied.append({**entry, "path": path})
    return copied


def write_archive(data: PersonalData, file: IO[bytes]) -> int:
    """Write the download of ``data`` as a ZIP into ``file``, in the active language.
    Returns how many rows it holds."""
    tables = _tables(data)
    personal = {table.model for table in tables}
    labels = _labels(tables, personal)
    made_at = timezone.now()
    content: dict[str, Any] = {"made_at": made_at, "expert": data.expert.pk, "tables": {}}
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in tables:
            rows = [_row(table, row, labels) for row in table.rows]
            content["tables"][table.key] = {
                "name": table.name,
                "rows": rows,
                "left_out": table.left_out,
            }
            _write_csv(archive, table, rows, labels)
        content["files"] = _copy_files(archive, tables)
        archive.writestr(
            JSON_NAME, json.dumps(content, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
        )
        archive.writestr(
            _("README.txt"),
            render_to_string(
                "participation/mydata/readme.txt",
                {
                    "made_at": made_at,
                    "expert": data.expert,
                    "tables": tables,
                    "files": content["files"],
                    "json_name": JSON_NAME,
                },
            ),
        )
    return sum(len(table.rows) for table in tables)
