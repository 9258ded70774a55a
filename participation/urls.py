from django.urls import path

from . import views

app_name = "participation"

urlpatterns = [
    path("coordinator/", views.dashboard, name="dashboard"),
    path("trekker/", views.lead_home, name="lead_home"),
]
