"""Form helpers shared by every door."""

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
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'<optgroup label="{escape(group_name)}">')
            for option in options:
                option_attrs = dict(option["attrs"])
                selected = " selected" if option_attrs.pop("selected", False) else ""
                parts.append(
                    f'<option value="{escape(option["value"])}"{flatatt(option_attrs)}'
                    f"{selected}>{escape(option['label'])}</option>"
                )
            if group_name:
                parts.append("</optgroup>")
        # Every part is escaped above.
        return mark_safe(  # noqa: S308
            f'<select name="{escape(widget["name"])}"{flatatt(widget["attrs"])}>'
            f"{''.join(parts)}</select>"
        )
