from django import forms
from django.utils.translation import gettext_lazy as _

from .parsing import ExpertImportError, ParsedImport, parse_table, read_table


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
            self.parsed: ParsedImport = parse_table(read_table(upload))
        except ExpertImportError as exc:
            raise forms.ValidationError(exc.messages) from exc
        return upload
