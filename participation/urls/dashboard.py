from django.urls import path

from ..views import dashboard

urlpatterns = [
    path("coordinator/uren/", dashboard.activity_waiting, name="activity_waiting"),
]
