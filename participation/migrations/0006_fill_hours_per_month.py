"""Fill the monthly sums of hours from the logs that exist (participation.hours.services keeps
them from now on). A frozen copy of ``months_rebuild``, on the historical models."""

from decimal import Decimal

from django.db import migrations
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncMonth

ZERO = Decimal("0")


def fill(apps, schema_editor):
    ActivityLog = apps.get_model("participation", "ActivityLog")
    ExpertMonth = apps.get_model("participation", "ExpertMonth")
    MonthTotal = apps.get_model("participation", "MonthTotal")
    counting = ~Q(status="rejected")
    waiting = Q(status="submitted")
    rows = (
        ActivityLog.objects.annotate(m=TruncMonth("date"))
        .order_by()
        .values("expert", "m")
        .annotate(
            n=Count("pk", filter=counting),
            h=Sum("hours", filter=counting),
            wn=Count("pk", filter=waiting),
            wh=Sum("hours", filter=waiting),
            last=Max("date"),
        )
    )
    ExpertMonth.objects.bulk_create(
        [
            ExpertMonth(
                expert_id=row["expert"],
                month=row["m"],
                logs=row["n"],
                hours=row["h"] or ZERO,
                waiting_logs=row["wn"],
                waiting_hours=row["wh"] or ZERO,
                last_logged_on=row["last"],
            )
            for row in rows.iterator()
        ],
        batch_size=5000,
    )
    totals = (
        ExpertMonth.objects.order_by()
        .values("month")
        .annotate(
            e=Count("pk", filter=Q(logs__gt=0)),
            h=Sum("hours"),
            wn=Sum("waiting_logs"),
            wh=Sum("waiting_hours"),
        )
    )
    MonthTotal.objects.bulk_create(
        [
            MonthTotal(
                month=row["month"],
                experts=row["e"],
                hours=row["h"] or ZERO,
                waiting_logs=row["wn"] or 0,
                waiting_hours=row["wh"] or ZERO,
            )
            for row in totals
        ]
    )


def empty(apps, schema_editor):
    apps.get_model("participation", "ExpertMonth").objects.all().delete()
    apps.get_model("participation", "MonthTotal").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("participation", "0005_hours_per_expert_and_month")]

    operations = [migrations.RunPython(fill, empty)]
