from django.urls import path

from . import mine, views

coordinator = [
    path(
        "ervaringsdeskundigen/<int:pk>/toestemming/nieuw/",
        views.consent_create,
        name="consent_create",
    ),
    path("toestemmingen/<int:pk>/intrekken/", views.consent_withdraw, name="consent_withdraw"),
    path("toestemmingen/<int:pk>/scan/", views.consent_scan, name="consent_scan"),
]
expert = [
    path("toestemming/", mine.my_consents, name="my_consents"),
    path("toestemming/kiezen/", mine.my_consents_choose, name="my_consents_choose"),
    path("toestemming/geven/", mine.my_consent_give, name="my_consent_give"),
    path("toestemming/intrekken/", mine.my_consent_withdraw, name="my_consent_withdraw"),
]
