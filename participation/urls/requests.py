from django.urls import path

from ..views import requests

urlpatterns = [
    path("coordinator/verzoeken/", requests.request_list, name="request_list"),
    path("coordinator/verzoeken/nieuw/", requests.request_create, name="request_create"),
    path("coordinator/verzoeken/<int:pk>/", requests.request_detail, name="request_detail"),
    path("coordinator/verzoeken/<int:pk>/wijzigen/", requests.request_edit, name="request_edit"),
    path(
        "coordinator/verzoeken/<int:pk>/voorstellen/",
        requests.match_propose,
        name="match_propose",
    ),
    path("coordinator/verzoeken/matches/", requests.match_list, name="match_list"),
    path(
        "coordinator/verzoeken/matches/<int:pk>/antwoord/",
        requests.match_answer,
        name="match_answer",
    ),
]
