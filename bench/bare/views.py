from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The floor: a logged-in page rendering a tiny template."""
    return render(request, "bare/home.html")


def health(request: HttpRequest) -> HttpResponse:
    """Tells the benchmark that gunicorn serves (the home page needs a login)."""
    return HttpResponse("ok")
