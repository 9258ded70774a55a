from django.urls import path

from . import views

coordinator = [
    path("ervaringsdeskundigen/nieuw/", views.expert_create, name="expert_create"),
    path("ervaringsdeskundigen/<int:pk>/wijzigen/", views.expert_edit, name="expert_edit"),
]
expert = [
    path("", views.home, name="home"),
    path("welkom/", views.welcome, name="welcome"),
]
