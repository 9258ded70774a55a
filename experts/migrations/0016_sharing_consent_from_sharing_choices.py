"""Leads now see a shared e-mail address or phone number only while the consent to share
contact details is in force. Until now the sharing choice alone was enough, so every expert
who shares something gets that consent, recorded from the choice they made (given by
themselves, today, by nobody): what leads see does not change on the day this is deployed.
Not for an expert under 16: their own choice is no consent, a parent gives it. Each consent
gets its first history row, as a consent recorded through the service does."""

import datetime

from django.db import migrations
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

CHUNK = 2000
NOTE = (
    "Overgenomen uit de keuze om contactgegevens met trekkers te delen, "
    "vastgelegd voordat Samen hier apart toestemming voor vroeg."
)


def _sixteen_years_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 16)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 16, day=28)


def record(apps, schema_editor):
    Expert = apps.get_model("experts", "Expert")
    Consent = apps.get_model("experts", "Consent")
    HistoricalConsent = apps.get_model("experts", "HistoricalConsent")
    now = timezone.now()
    born_before = _sixteen_years_before(timezone.localdate(now))
    experts = (
        Expert.objects.filter(Q(share_email_with_leads=True) | Q(share_phone_with_leads=True))
        .filter(Q(date_of_birth__isnull=True) | Q(date_of_birth__lte=born_before))
        .exclude(
            Exists(
                Consent.objects.filter(
                    expert=OuterRef("pk"), purpose="sharing", withdrawn_at__isnull=True
                )
            )
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    pks = list(experts)
    for start in range(0, len(pks), CHUNK):
        consents = Consent.objects.bulk_create(
            [
                Consent(
                    expert_id=pk,
                    purpose="sharing",
                    given_by="self",
                    given_at=now,
                    method="",
                    notes=NOTE,
                )
                for pk in pks[start : start + CHUNK]
            ]
        )
        HistoricalConsent.objects.bulk_create(
            [
                HistoricalConsent(
                    id=consent.pk,
                    expert_id=consent.expert_id,
                    purpose=consent.purpose,
                    given_by=consent.given_by,
                    given_by_name="",
                    given_at=consent.given_at,
                    method="",
                    scan="",
                    notes=NOTE,
                    history_date=now,
                    history_type="+",
                )
                for consent in consents
            ]
        )


class Migration(migrations.Migration):
    dependencies = [("experts", "0015_parental_consent_link_and_consent_purposes")]

    operations = [migrations.RunPython(record, migrations.RunPython.noop)]
