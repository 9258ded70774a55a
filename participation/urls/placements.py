from django.urls import path

from ..views import placements

urlpatterns = [
    path("coordinator/netwerken/", placements.network_list, name="network_list"),
    path("coordinator/netwerken/<int:pk>/", placements.network_detail, name="network_detail"),
    path("coordinator/koppelingen/nieuw/", placements.placement_create, name="placement_create"),
    path(
        "coordinator/koppelingen/<int:pk>/wijzigen/",
        placements.placement_edit,
        name="placement_edit",
    ),
    path(
        "coordinator/koppelingen/<int:pk>/beeindigen/",
        placements.placement_end,
        name="placement_end",
    ),
]
