"""Form helpers shared by every door."""

import html
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe


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


class FastSelect(forms.Select):
    """A select whose options are written in Python instead of one template per option.

    Django renders every option through a template, and ``format_html`` is not much cheaper:
    a filter with hundreds of networks and organisations cost more than the rest of its page.
    The markup is the same as Django's own select; every value and label is escaped."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer=None) -> str:
        selected = {str(v) for v in self.format_value(value)}
        parts = []
        for group_value, group_label in self.choices:
            if isinstance(group_label, (list, tuple)):
                parts.append(f'<optgroup label="{escape(group_value)}">')
                parts.extend(self._option(v, label, selected) for v, label in group_label)
                parts.append("</optgroup>")
            else:
                parts.append(self._option(group_value, group_label, selected))
        final_attrs = self.build_attrs(self.attrs, attrs)
        # Every value and label is escaped in _option, the name and attributes here.
        return mark_safe(  # noqa: S308
            f'<select name="{escape(name)}"{flatatt(final_attrs)}>{"".join(parts)}</select>'
        )

    @staticmethod
    def _option(value: Any, label: Any, selected: set[str]) -> str:
        # The standard library's escape, which Django's wraps, without the lazy-string checks
        # (ten calls an option); labels may be lazy translations, so str() first.
        value = "" if value is None else str(value)
        chosen = " selected" if value in selected else ""
        return f'<option value="{html.escape(value)}"{chosen}>{html.escape(str(label))}</option>'
