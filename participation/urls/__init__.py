"""The coordinator's door and the lead's portal. One module per feature, each with its own
``urlpatterns``; this module joins them under one namespace."""

from . import dashboard, doors, experts, imports, placements, recruitment, requests

app_name = "participation"

urlpatterns = [
    *doors.urlpatterns,
    *dashboard.urlpatterns,
    *experts.urlpatterns,
    *imports.urlpatterns,
    *placements.urlpatterns,
    *recruitment.urlpatterns,
    *requests.urlpatterns,
]
