"""Keep the networks' compositions exact when an expert changes.

A composition counts ExpEx and parents by the expert's kind, which the experts app owns and
changes (the coordinator's form, the admin site, an import) without knowing of placements;
apps to the left never call apps to the right. So participation listens: a saved expert
recounts the networks of their placements, a bulk write recounts every network."""

from django.db.models.signals import post_save

from experts.models import Expert
from participation.models import Placement
from samen.signals import bulk_written

from .services import network_compositions_refresh


def _expert_saved(sender, instance: Expert, created: bool, **kwargs) -> None:
    if created:
        return  # a new expert has no placements yet
    network_ids = Placement.objects.filter(expert=instance).values_list("network", flat=True)
    network_compositions_refresh(network_ids=network_ids)


def _bulk_written(sender, created: bool = False, **kwargs) -> None:
    # New experts have no placements yet; new or changed placements, or changed experts, may
    # change any network's counts.
    if sender is Placement or (sender is Expert and not created):
        network_compositions_refresh()


def connect() -> None:
    post_save.connect(_expert_saved, sender=Expert, dispatch_uid="composition-expert-saved")
    bulk_written.connect(_bulk_written, dispatch_uid="composition-bulk-written")
