from django.urls import path, re_path

from . import views

expert = [
    path("afspraken/", views.commitments, name="commitments"),
    path("voorstellen/<int:pk>/antwoord/", views.proposal_answer, name="proposal_answer"),
    path("bijeenkomsten/<int:pk>/antwoord/", views.meeting_answer, name="meeting_answer"),
    path("afspraken/agenda-link/", views.calendar_feed_renew, name="calendar_feed_renew"),
]
# Without an account: the calendar link is its own key, for the expert's calendar app.
public = [
    # Only the characters a token is made of: anything else is 404 before a query is made.
    re_path(
        r"^agenda/(?P<token>[A-Za-z0-9_-]{20,64})\.ics$", views.calendar_feed, name="calendar_feed"
    ),
]
