from django.urls import path

from ..views import doors

urlpatterns = [
    path("coordinator/", doors.dashboard, name="dashboard"),
    path("trekker/", doors.lead_home, name="lead_home"),
]
