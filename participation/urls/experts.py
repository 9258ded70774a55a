from django.urls import path

from ..views import experts

urlpatterns = [
    path("coordinator/ervaringsdeskundigen/", experts.expert_list, name="expert_list"),
    path(
        "coordinator/ervaringsdeskundigen/nieuw/",
        experts.expert_create_view,
        name="expert_create",
    ),
    path(
        "coordinator/ervaringsdeskundigen/export/",
        experts.expert_export,
        name="expert_export",
    ),
    path(
        "coordinator/ervaringsdeskundigen/<int:pk>/",
        experts.expert_detail,
        name="expert_detail",
    ),
    path(
        "coordinator/ervaringsdeskundigen/<int:pk>/wijzigen/",
        experts.expert_edit,
        name="expert_edit",
    ),
    path(
        "coordinator/ervaringsdeskundigen/<int:pk>/uitnodigen/",
        experts.expert_invite_view,
        name="expert_invite",
    ),
]
