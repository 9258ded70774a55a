from django.db.models import Prefetch

from .models import Consent, Expert


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
