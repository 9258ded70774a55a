"""Count the active placements of every network into NetworkComposition (the placement services
keep the counts from now on). A frozen copy of ``composition_by_network``, on the historical
models."""

from django.db import migrations
from django.db.models import Count, Q


def fill(apps, schema_editor):
    Placement = apps.get_model("participation", "Placement")
    NetworkComposition = apps.get_model("participation", "NetworkComposition")
    rows = (
        Placement.objects.filter(status="active")
        .order_by()
        .values("network")
        .annotate(
            y=Count("pk", filter=Q(expert__kind="youth")),
            p=Count("pk", filter=Q(expert__kind="parent")),
            c1=Count("pk", filter=Q(circle="core")),
            c2=Count("pk", filter=Q(circle="second")),
            c3=Count("pk", filter=Q(circle="third")),
            **{f"l{n}": Count("pk", filter=Q(ladder_level=n)) for n in range(1, 6)},
        )
    )
    NetworkComposition.objects.bulk_create(
        [
            NetworkComposition(
                network_id=row["network"],
                youth=row["y"],
                parents=row["p"],
                circle_core=row["c1"],
                circle_second=row["c2"],
                circle_third=row["c3"],
                **{f"level_{n}": row[f"l{n}"] for n in range(1, 6)},
            )
            for row in rows
        ]
    )


def empty(apps, schema_editor):
    apps.get_model("participation", "NetworkComposition").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("participation", "0007_network_composition")]

    operations = [migrations.RunPython(fill, empty)]
