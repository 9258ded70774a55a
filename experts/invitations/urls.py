from django.urls import path

from . import views

coordinator = [
    path(
        "ervaringsdeskundigen/<int:pk>/uitnodigen/",
        views.expert_invite_view,
        name="expert_invite",
    ),
    path("uitnodigingen/", views.invitation_list, name="invitation_list"),
    path(
        "uitnodigingen/<int:pk>/opnieuw-sturen/",
        views.invitation_resend_view,
        name="invitation_resend",
    ),
    path(
        "uitnodigingen/<int:pk>/intrekken/",
        views.invitation_withdraw_view,
        name="invitation_withdraw",
    ),
]
# Without a door: the link in the invitation's e-mail, for whoever has it.
public = [
    path("uitnodiging/<str:token>/", views.invitation_open, name="invitation_open"),
]
