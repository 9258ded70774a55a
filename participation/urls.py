"""The participation app's pages, by door. ``samen/urls.py`` mounts each door's list under the
door's prefix and namespace (``coordinator:``, ``lead:``, ``expert:``), and ``public`` (pages
without an account: an expert's calendar link) at the root."""

from .commitments import urls as commitments
from .dashboard import urls as dashboard
from .fees import urls as fees
from .hours import urls as hours
from .mydata import urls as mydata
from .placements import urls as placements
from .registry import urls as registry
from .requests import urls as requests

coordinator = [
    *dashboard.coordinator,
    *registry.coordinator,
    *placements.coordinator,
    *requests.coordinator,
    *hours.coordinator,
    *mydata.coordinator,
]
lead = [*placements.lead]
expert = [*commitments.expert, *hours.expert, *fees.expert, *mydata.expert]
public = [*commitments.public]
