"""How English pages, e-mails and exports write dates and numbers (Django's format localization).

English is Samen's second language, read by people who work in the Netherlands: the day comes
before the month and times use 24 hours, as in Dutch. One format per kind of value:
"28 November 2023", "28 November 2023 14:30", "November 2023", "2.5" and "€3.25"."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

# Not a Django setting: how an amount in euros is written; %s is the number, already
# localized (samen.formatting.format_euro).
EURO_FORMAT = "€%s"
