from django.urls import path

from . import views

expert = [
    path("vergoeding/", views.my_pay, name="my_pay"),
    path("profiel/vergoedingen/", views.my_allowances, name="my_allowances"),
    path("profiel/vergoedingen/nieuw/", views.my_allowance_create, name="my_allowance_create"),
    path(
        "profiel/vergoedingen/<int:pk>/wijzigen/",
        views.my_allowance_edit,
        name="my_allowance_edit",
    ),
    path(
        "profiel/vergoedingen/<int:pk>/verwijderen/",
        views.my_allowance_delete,
        name="my_allowance_delete",
    ),
    path("profiel/uitkering/", views.my_benefit, name="my_benefit"),
]
