"""Form helpers shared by every door."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError


class LocalizedNumbersMixin:
    """Decimal fields take numbers as people type them: "2,5" in Dutch, "2.5" in English.

    Django's DecimalField only reads a decimal point unless it is localized, and a browser's
    number input refuses a comma in some languages, so the field becomes a text input that
    asks phones for the decimal keyboard."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DecimalField) and not field.localize:
                attrs = {
                    key: value
                    for key, value in field.widget.attrs.items()
                    if key not in {"step", "min", "max"}
                }
                field.localize = True
                field.widget = forms.TextInput(attrs={**attrs, "inputmode": "decimal"})
                field.widget.is_localized = True


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's refusal on the form, by field where the form has that field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
