from django.urls import path

from ..views import imports

urlpatterns = [
    path(
        "coordinator/ervaringsdeskundigen/importeren/",
        imports.expert_import,
        name="expert_import",
    ),
    path(
        "coordinator/ervaringsdeskundigen/importeren/sjabloon.csv",
        imports.expert_import_template,
        name="expert_import_template",
    ),
    path(
        "coordinator/ervaringsdeskundigen/importeren/controleren/",
        imports.expert_import_preview,
        name="expert_import_preview",
    ),
    path(
        "coordinator/ervaringsdeskundigen/importeren/bevestigen/",
        imports.expert_import_confirm,
        name="expert_import_confirm",
    ),
]
