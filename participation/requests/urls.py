from django.urls import path

from . import views

coordinator = [
    path("verzoeken/", views.request_list, name="request_list"),
    path("verzoeken/nieuw/", views.request_create, name="request_create"),
    path("verzoeken/<int:pk>/", views.request_detail, name="request_detail"),
    path("verzoeken/<int:pk>/wijzigen/", views.request_edit, name="request_edit"),
    path("verzoeken/<int:pk>/voorstellen/", views.match_propose, name="match_propose"),
    path("verzoeken/matches/", views.match_list, name="match_list"),
    path("verzoeken/matches/<int:pk>/antwoord/", views.match_answer, name="match_answer"),
]
