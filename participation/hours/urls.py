from django.urls import path

from . import views

coordinator = [
    path("uren/", views.activity_waiting, name="activity_waiting"),
    path("uren/<int:pk>/bon/", views.activity_receipt, name="activity_receipt"),
]
expert = [
    path("uren/", views.my_hours, name="my_hours"),
    path("uren/nieuw/", views.my_hours_create, name="my_hours_create"),
    path("uren/<int:pk>/wijzigen/", views.my_hours_edit, name="my_hours_edit"),
    path("uren/<int:pk>/intrekken/", views.my_hours_withdraw, name="my_hours_withdraw"),
    path("uren/<int:pk>/bon/", views.my_hours_receipt, name="my_hours_receipt"),
]
