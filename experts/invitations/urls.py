from django.urls import path

from . import views

coordinator = [
    path(
        "ervaringsdeskundigen/<int:pk>/uitnodigen/",
        views.expert_invite_view,
        name="expert_invite",
    ),
]
