from django.urls import path

from . import views

coordinator = [
    path("ervaringsdeskundigen/nieuw/", views.expert_create, name="expert_create"),
    path("ervaringsdeskundigen/<int:pk>/wijzigen/", views.expert_edit, name="expert_edit"),
]
expert = [
    path("", views.home, name="home"),
    path("profiel/", views.profile, name="profile"),
    path("profiel/contact/", views.profile_contact, name="profile_contact"),
    path("profiel/beschikbaarheid/", views.profile_availability, name="profile_availability"),
    path("profiel/afwezig/nieuw/", views.away_create, name="away_create"),
    path("profiel/afwezig/<int:pk>/wijzigen/", views.away_edit, name="away_edit"),
    path("profiel/afwezig/<int:pk>/verwijderen/", views.away_delete, name="away_delete"),
    path("profiel/themas/", views.profile_themes, name="profile_themes"),
    path("profiel/wensen/", views.profile_growth, name="profile_growth"),
    path("profiel/delen/", views.profile_sharing, name="profile_sharing"),
    path("welkom/", views.welcome, name="welcome"),
]
