"""One way to write dates, hours and euros, in the language that is active.

Pages, e-mails and exports call these (templates through the ``formatting`` filters and the
``date`` filter without an argument), so that a date reads "28 november 2023" everywhere in Dutch
and "28 November 2023" in English, hours "2,5" and money "€ 3,25". The formats per language are
in ``samen/formats/<language>/formats.py``. An e-mail is written inside
``translation.override(<the recipient's language>)``, so it gets the recipient's formats too.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import get_language

CENT = Decimal("0.01")
# DATE_FORMAT ("j F Y") in Excel's words, for date cells in an XLSX export. Excel names the
# month in the reader's own language.
XLSX_DATE_FORMAT = "d mmmm yyyy"


def _local_date(value: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def format_date(value: datetime.date | datetime.datetime | None) -> str:
    """Writes "28 november 2023". A moment is first put in Samen's time zone, so late in the evening
    it is still the day the reader saw."""
    if value is None:
        return ""
    return formats.date_format(_local_date(value), "DATE_FORMAT")


def format_datetime(value: datetime.datetime | None) -> str:
    """Writes "28 november 2023 14:30", in Samen's time zone."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATETIME_FORMAT")


def format_month(value: datetime.date | None) -> str:
    """Writes "november 2023"."""
    if value is None:
        return ""
    return formats.date_format(value, "YEAR_MONTH_FORMAT")


def _decimal(value: Decimal | float | int | str) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def format_number(value: Decimal | float | int | str | None) -> str:
    """A number as people write it, with at most two decimals and no trailing zeros: "3",
    "2,5", "0,25", "1.250". Hours are written this way (``format_hours``), and so are points."""
    if value is None or value == "":
        return ""
    number = _decimal(value).quantize(CENT, rounding=ROUND_HALF_UP).normalize()
    places = max(0, -number.as_tuple().exponent)
    # normalize() writes 10 as 1E+1; quantizing to whole units writes it out again.
    number = number.quantize(Decimal(1).scaleb(-places))
    return formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


def format_hours(value: Decimal | float | int | str | None) -> str:
    """Hours: "3", "2,5", "0,25" (a quarter of an hour is the smallest unit logged)."""
    return format_number(value)


def _language_format(name: str) -> str:
    """A format of our own (not one of Django's) from the active language's formats module,
    else from the default language's."""
    for language in (get_language() or settings.LANGUAGE_CODE, settings.LANGUAGE_CODE):
        for module in formats.get_format_modules(language):
            value = getattr(module, name, None)
            if value is not None:
                return value
    raise LookupError(name)


def format_euro(value: Decimal | float | int | str | None) -> str:
    """An amount in euros, always with cents: "€ 3,25" and "€ 1.900,00" in Dutch, "€3.25" in
    English. Rounded half up to the cent here, once, at the end."""
    if value is None or value == "":
        return ""
    amount = _decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    number = formats.number_format(abs(amount), decimal_pos=2, use_l10n=True, force_grouping=True)
    text = _language_format("EURO_FORMAT") % number
    return f"-{text}" if amount < 0 else text
