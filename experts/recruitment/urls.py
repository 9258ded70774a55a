from django.urls import path

from . import views

coordinator = [
    path("organisaties/", views.organisation_list, name="organisation_list"),
    path("organisaties/nieuw/", views.organisation_create, name="organisation_create"),
    path("organisaties/<int:pk>/wijzigen/", views.organisation_edit, name="organisation_edit"),
    path("werving/", views.recruitment_list, name="recruitment_list"),
    path("werving/nieuw/", views.recruitment_create, name="recruitment_create"),
    path("werving/<int:pk>/wijzigen/", views.recruitment_edit, name="recruitment_edit"),
    path(
        "werving/<int:pk>/opgevolgd/",
        views.recruitment_follow_up_done,
        name="recruitment_follow_up_done",
    ),
    path("werving/kanalen/", views.recruitment_channels, name="recruitment_channels"),
]
