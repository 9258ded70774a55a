"""Fill the volunteer-allowance limits of 2023–2025 (Belastingdienst). Later years are
entered by an admin; a payment in a year without limits is refused."""

from decimal import Decimal

from django.db import migrations

LIMITS = {
    2023: ("5.00", "2.75", "190", "1900"),
    2024: ("5.50", "3.25", "210", "2100"),
    2025: ("5.60", "3.30", "210", "2100"),
}


def seed(apps, schema_editor):
    AllowanceLimit = apps.get_model("participation", "AllowanceLimit")
    for year, (adult, young, month, whole_year) in LIMITS.items():
        AllowanceLimit.objects.update_or_create(
            year=year,
            defaults={
                "per_hour_21_and_over": Decimal(adult),
                "per_hour_under_21": Decimal(young),
                "per_month": Decimal(month),
                "per_year": Decimal(whole_year),
            },
        )


def unseed(apps, schema_editor):
    AllowanceLimit = apps.get_model("participation", "AllowanceLimit")
    AllowanceLimit.objects.filter(year__in=LIMITS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
