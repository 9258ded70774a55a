from django.urls import path

from . import views

coordinator = [
    path("ervaringsdeskundigen/importeren/", views.expert_import, name="expert_import"),
    path(
        "ervaringsdeskundigen/importeren/sjabloon.csv",
        views.expert_import_template,
        name="expert_import_template",
    ),
    path(
        "ervaringsdeskundigen/importeren/kolommen/",
        views.expert_import_mapping,
        name="expert_import_mapping",
    ),
    path(
        "ervaringsdeskundigen/importeren/controleren/",
        views.expert_import_preview,
        name="expert_import_preview",
    ),
    path(
        "ervaringsdeskundigen/importeren/bevestigen/",
        views.expert_import_confirm,
        name="expert_import_confirm",
    ),
]
