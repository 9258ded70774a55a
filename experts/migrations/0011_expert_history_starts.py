"""The first row of every expert's history: what leads may see and the benefit situation as
they are now, so that the first change has a "before". Without a user: nobody made them."""

from django.db import migrations
from django.utils import timezone

CHUNK = 2000
FIELDS = ("id", "share_email_with_leads", "share_phone_with_leads", "benefit_situation")


def start(apps, schema_editor):
    Expert = apps.get_model("experts", "Expert")
    HistoricalExpert = apps.get_model("experts", "HistoricalExpert")
    now = timezone.now()
    rows = Expert.objects.order_by("pk").values(*FIELDS).iterator(chunk_size=CHUNK)
    batch = []
    for row in rows:
        batch.append(HistoricalExpert(**row, history_date=now, history_type="+"))
        if len(batch) == CHUNK:
            HistoricalExpert.objects.bulk_create(batch)
            batch = []
    HistoricalExpert.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("experts", "0010_expert_sharing_and_benefit_history")]

    operations = [migrations.RunPython(start, migrations.RunPython.noop)]
