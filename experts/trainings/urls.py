from django.urls import path

from . import views

coordinator = [
    path("trainingsaanvragen/", views.training_request_list, name="training_request_list"),
    path(
        "trainingsaanvragen/<int:pk>/afgehandeld/",
        views.training_request_handled,
        name="training_request_handled",
    ),
]
expert = [
    path("ontwikkeling/", views.my_development, name="my_development"),
    path(
        "ontwikkeling/training-aanvragen/",
        views.training_request_create,
        name="training_request_create",
    ),
]
