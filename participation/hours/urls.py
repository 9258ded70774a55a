from django.urls import path

from . import views

coordinator = [
    path("uren/", views.activity_waiting, name="activity_waiting"),
]
