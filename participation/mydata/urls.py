from django.urls import path

from . import views

coordinator = [
    path("wissen/", views.erasure_list, name="erasure_list"),
    path("wissen/<int:pk>/", views.erasure_detail, name="erasure_detail"),
    path("wissen/<int:pk>/bevestigen/", views.erasure_confirm, name="erasure_confirm"),
    path("wissen/<int:pk>/weigeren/", views.erasure_refuse, name="erasure_refuse"),
]
expert = [
    path("gegevens/", views.my_data, name="my_data"),
    path("gegevens/download/", views.my_data_export, name="my_data_export"),
    path("gegevens/download/<int:pk>/", views.my_data_download, name="my_data_download"),
    path("gegevens/wissen/", views.my_data_erasure, name="my_data_erasure"),
    path("gegevens/wissen/intrekken/", views.my_data_erasure_cancel, name="my_data_erasure_cancel"),
]
