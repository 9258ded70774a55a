from django.urls import path

from . import views

coordinator = [
    path(
        "ervaringsdeskundigen/<int:pk>/toestemming-ouder/opnieuw/",
        views.expert_parent_link_resend,
        name="expert_parent_link_resend",
    ),
]
expert = [
    path("toestemming/ouder/", views.parent_ask, name="parent_ask"),
]
# Without a door: the link in the e-mail to a parent or guardian, for whoever has it.
public = [
    path("toestemming-ouder/<str:token>/", views.parental_consent, name="parental_consent"),
    path(
        "toestemming-ouder/<str:token>/intrekken/",
        views.parental_consent_withdraw,
        name="parental_consent_withdraw",
    ),
    path(
        "toestemming-ouder/<str:token>/nieuwe-link/",
        views.parental_consent_renew,
        name="parental_consent_renew",
    ),
]
