from django.urls import path

from ..views import recruitment

urlpatterns = [
    path("coordinator/organisaties/", recruitment.organisation_list, name="organisation_list"),
    path(
        "coordinator/organisaties/nieuw/",
        recruitment.organisation_create,
        name="organisation_create",
    ),
    path(
        "coordinator/organisaties/<int:pk>/wijzigen/",
        recruitment.organisation_edit,
        name="organisation_edit",
    ),
    path("coordinator/werving/", recruitment.recruitment_list, name="recruitment_list"),
    path("coordinator/werving/nieuw/", recruitment.recruitment_create, name="recruitment_create"),
    path(
        "coordinator/werving/<int:pk>/wijzigen/",
        recruitment.recruitment_edit,
        name="recruitment_edit",
    ),
    path(
        "coordinator/werving/kanalen/",
        recruitment.recruitment_channels,
        name="recruitment_channels",
    ),
]
