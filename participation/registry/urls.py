from django.urls import path

from . import views

coordinator = [
    path("ervaringsdeskundigen/", views.expert_list, name="expert_list"),
    path("ervaringsdeskundigen/export/", views.expert_export, name="expert_export"),
    path("ervaringsdeskundigen/<int:pk>/", views.expert_detail, name="expert_detail"),
]
