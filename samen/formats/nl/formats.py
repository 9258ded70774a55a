"""How Dutch pages, e-mails and exports write dates and numbers (Django's format localization).

One format per kind of value: "28 november 2023", "28 november 2023 14:30", "november 2023",
"2,5" and "€ 3,25". The short formats are the same as the long ones on purpose, so no page can
fall back to "28-11-2023". ``samen.formatting`` reads these; templates use ``|date`` without an
argument and the ``euro`` and ``hours`` filters."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3

# Not a Django setting: how an amount in euros is written; %s is the number, already
# localized (samen.formatting.format_euro).
EURO_FORMAT = "€ %s"
