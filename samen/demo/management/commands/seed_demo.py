import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from samen.demo.seed import DemoLogin, seed_demo


class Command(BaseCommand):
    help = (
        "Load the demo data of docs/domain.md: four learning networks, their experts, leads and a "
        "coordinator. Safe to run again: a second run changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Also run in production mode (the demo accounts share a published password).",
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        if settings.PRODUCTION and not force:
            raise CommandError(
                _(
                    "This is a production site. Demo data is not loaded here, because the demo "
                    "accounts share a known password. Use --force if you are sure."
                )
            )
        started = time.monotonic()
        logins = seed_demo()
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo data is ready (%(seconds).1f s).") % {"seconds": time.monotonic() - started}
            )
        )
        self.stdout.write(_format_logins(logins))


def _format_logins(logins: list[DemoLogin]) -> str:
    header = (_("E-mail"), _("Door"), _("Password"))
    rows = [header, *((login.email, login.door, login.password) for login in logins)]
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    lines.append(_("New demo accounts get this password; an existing account keeps its own."))
    return "\n".join(lines)
