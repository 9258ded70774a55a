import hashlib
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .parsing import (
    COLUMNS,
    COLUMNS_BY_KEY,
    NOT_IMPORTED,
    ExpertImportError,
    Mapping,
    Table,
    file_columns,
    plan_columns,
    read_table,
    value_choices,
    values_to_choose,
)

# More unknown values than this in one column, and the column is probably the wrong one.
MAX_VALUES_TO_CHOOSE = 20


class ExpertImportForm(forms.Form):
    file = forms.FileField(
        label=_("Your spreadsheet (CSV or Excel .xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control",
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.table: Table = read_table(upload)
        except ExpertImportError as exc:
            raise forms.ValidationError(exc.messages) from exc
        return upload


def _field_name(prefix: str, key: str) -> str:
    """A form field name for a column name or a value, whatever characters it has. The same
    for the same key, so a post matches the page it came from even if the order changed."""
    return f"{prefix}_{hashlib.sha256(key.encode()).hexdigest()[:12]}"


class ImportMappingForm(forms.Form):
    """For each column of the file: the field of Samen it holds, or "do not import". For each
    value Samen does not know in a field with fixed values: what it means. The rules for the
    columns are ``plan_columns``'s, the same as for the upload."""

    def __init__(self, *args: Any, table: Table, mapping: Mapping, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.table = table
        self.previous = mapping
        field_choices = [(NOT_IMPORTED, _("do not import"))] + [
            (c.key, _("%(field)s (required)") % {"field": c.label} if c.required else c.label)
            for c in COLUMNS
        ]
        self.column_fields: dict[str, str] = {}  # form field -> the column name's key
        for column in file_columns(table):
            name = _field_name("column", column.key)
            example = column.example
            self.fields[name] = forms.ChoiceField(
                label=column.name,
                choices=field_choices,
                initial=mapping.field_for(column.name),
                required=False,
                help_text=_("For example: %(value)s") % {"value": example} if example else "",
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.column_fields[name] = column.key

        self.value_fields: dict[str, tuple[str, str]] = {}  # form field -> (field, value key)
        self.value_groups = []
        self.values_to_choose = values_to_choose(table, mapping, limit=MAX_VALUES_TO_CHOOSE)
        for found in self.values_to_choose:
            choices = [("", _("choose what it means"))] + value_choices(found.field)
            names = []
            for value in found.values:
                name = _field_name(f"value_{found.field}", value.key)
                self.fields[name] = forms.ChoiceField(
                    label=ngettext(
                        "%(value)s (%(count)s row)", "%(value)s (%(count)s rows)", value.rows
                    )
                    % {"value": value.text, "count": value.rows},
                    choices=choices,
                    initial=value.chosen,
                    required=False,
                    widget=forms.Select(attrs={"class": "form-select"}),
                )
                self.value_fields[name] = (found.field, value.key)
                names.append(name)
            self.value_groups.append(
                {
                    "field": COLUMNS_BY_KEY[found.field].label,
                    "column": found.column,
                    "more": found.more,
                    "fields": [self[name] for name in names],
                }
            )
        self.column_group = [self[name] for name in self.column_fields]

    def clean(self) -> dict:
        cleaned = super().clean()
        columns = {key: cleaned.get(name, NOT_IMPORTED) for name, key in self.column_fields.items()}
        values = {field: dict(chosen) for field, chosen in self.previous.values.items()}
        for name, (field, key) in self.value_fields.items():
            chosen = cleaned.get(name) or ""
            if chosen:
                values.setdefault(field, {})[key] = chosen
            else:
                values.get(field, {}).pop(key, None)
        self.mapping = Mapping(columns=columns, values={f: v for f, v in values.items() if v})
        for problem in plan_columns(self.table.header, self.mapping).problems:
            self.add_error(None, problem)
        return cleaned
