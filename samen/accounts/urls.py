"""A user's own account in the doors that have an account page (``expert:account``,
``lead:account``). The pages of allauth that every user shares (the second step, the
sessions) are under ``/accounts/`` in ``samen/urls.py``."""

from django.urls import path

from . import views

coordinator: list = []
lead = [path("account/", views.lead_account, name="account")]
expert = [path("account/", views.expert_account, name="account")]
