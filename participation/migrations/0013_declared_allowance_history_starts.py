"""The first row of every allowance from elsewhere's history, as it is now, so that the first
change has a "before". Without a user: nobody made them."""

from django.db import migrations
from django.utils import timezone

FIELDS = ("id", "expert_id", "organisation_name", "year", "month", "amount")


def start(apps, schema_editor):
    DeclaredAllowance = apps.get_model("participation", "DeclaredAllowance")
    History = apps.get_model("participation", "HistoricalDeclaredAllowance")
    now = timezone.now()
    History.objects.bulk_create(
        [
            History(**row, history_date=now, history_type="+")
            for row in DeclaredAllowance.objects.order_by("pk").values(*FIELDS)
        ],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [("participation", "0012_declared_allowance_history")]

    operations = [migrations.RunPython(start, migrations.RunPython.noop)]
