"""The experts app's pages, by door. ``samen/urls.py`` mounts each door's list under the door's
prefix and namespace (``coordinator:``, ``lead:``, ``expert:``), and ``public`` (pages without
an account: an invitation's link, a parent's consent link) at the root."""

from .consents import urls as consents
from .imports import urls as imports
from .invitations import urls as invitations
from .parental import urls as parental
from .profiles import urls as profiles
from .recruitment import urls as recruitment
from .trainings import urls as trainings

coordinator = [
    *profiles.coordinator,
    *consents.coordinator,
    *invitations.coordinator,
    *parental.coordinator,
    *imports.coordinator,
    *recruitment.coordinator,
    *trainings.coordinator,
]
lead: list = []
expert = [*profiles.expert, *consents.expert, *parental.expert, *trainings.expert]
public = [*invitations.public, *parental.public]
