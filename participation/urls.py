"""The participation app's pages, by door. ``samen/urls.py`` mounts each door's list under the
door's prefix and namespace (``coordinator:``, ``lead:``, ``expert:``)."""

from .dashboard import urls as dashboard
from .hours import urls as hours
from .placements import urls as placements
from .registry import urls as registry
from .requests import urls as requests

coordinator = [
    *dashboard.coordinator,
    *registry.coordinator,
    *placements.coordinator,
    *requests.coordinator,
    *hours.coordinator,
]
lead = [*placements.lead]
expert = [*hours.expert]
