from django.urls import path

from . import views

coordinator = [
    path("", views.dashboard, name="dashboard"),
]
