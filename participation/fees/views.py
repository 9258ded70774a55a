"""The expert's pay (``/mijn/vergoeding/``): what was approved and paid, per month of a year,
each payment's state in words, and where the annual statement comes."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from experts.access import get_own_expert
from samen.accounts.permissions import expert_required

from . import selectors
from .forms import PayYearForm


@expert_required
@require_GET
def my_pay(request: HttpRequest) -> HttpResponse:
    """One year of the expert's pay, this year unless they chose another. A year that is not
    a year answers 400, with this year's page and a message."""
    expert = get_own_expert(request)
    today = timezone.localdate()
    form = PayYearForm(request.GET)
    valid = form.is_valid()
    year = (form.cleaned_data["year"] if valid else None) or today.year
    return render(
        request,
        "participation/fees/mine.html",
        {
            "expert": expert,
            "form": form,
            "today": today,
            "years": selectors.pay_years(expert, today=today),
            "pay": selectors.pay_year(expert, year=year, today=today),
            "next_run": selectors.pay_run_date(today),
            "statement_url": selectors.annual_statement_url(expert, year=year),
        },
        status=200 if valid else 400,
    )
