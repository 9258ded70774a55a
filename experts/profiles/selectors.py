from django.db.models import Prefetch, QuerySet

from experts.models import Consent, Expert, TrainingRecord


def expert_for_user(user) -> Expert | None:
    """The expert record behind an expert's account, with what their own page shows."""
    return (
        Expert.objects.filter(user=user)
        .prefetch_related(
            "themes",
            "preferred_roles",
            Prefetch("consents", queryset=Consent.objects.in_force()),
            "training_records__training",
        )
        .first()
    )


def expert_profile_queryset() -> QuerySet[Expert]:
    """Experts with everything their profile page shows, in a fixed number of queries:
    account, recruitment source, themes, preferred roles, all consents (also withdrawn, with
    who recorded them) and trainings."""
    return Expert.objects.select_related(
        "user", "recruitment_source__organisation"
    ).prefetch_related(
        "themes",
        "preferred_roles",
        Prefetch(
            "consents",
            queryset=Consent.objects.select_related("recorded_by").order_by("-given_at"),
        ),
        Prefetch(
            "training_records",
            queryset=TrainingRecord.objects.select_related("training").order_by("-started_on"),
        ),
    )
