from django.urls import path

from . import views

coordinator = [
    path("netwerken/", views.network_list, name="network_list"),
    path("netwerken/<int:pk>/", views.network_detail, name="network_detail"),
    path("koppelingen/nieuw/", views.placement_create, name="placement_create"),
    path("koppelingen/<int:pk>/wijzigen/", views.placement_edit, name="placement_edit"),
    path("koppelingen/<int:pk>/beeindigen/", views.placement_end, name="placement_end"),
    path("koppelingen/<int:pk>/heropenen/", views.placement_reopen, name="placement_reopen"),
]
lead = [
    path("", views.lead_home, name="home"),
]
