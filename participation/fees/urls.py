from django.urls import path

from . import views

expert = [
    path("vergoeding/", views.my_pay, name="my_pay"),
]
