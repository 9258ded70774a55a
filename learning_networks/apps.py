from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningNetworksConfig(AppConfig):
    name = "learning_networks"
    verbose_name = _("Learning networks")
