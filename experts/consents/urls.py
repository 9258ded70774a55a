from django.urls import path

from . import views

coordinator = [
    path(
        "ervaringsdeskundigen/<int:pk>/toestemming/nieuw/",
        views.consent_create,
        name="consent_create",
    ),
    path("toestemmingen/<int:pk>/intrekken/", views.consent_withdraw, name="consent_withdraw"),
    path("toestemmingen/<int:pk>/scan/", views.consent_scan, name="consent_scan"),
]
