from django.db import models
from django.utils.translation import gettext_lazy as _


class LadderLevel(models.IntegerChoices):
    """The participation ladder: 1 is the most say, 5 the least."""

    CO_DECIDE = 1, _("1 Co-decide")
    CO_PRODUCE = 2, _("2 Co-produce")
    ADVISE = 3, _("3 Advise")
    CONSULT = 4, _("4 Consult")
    INFORM = 5, _("5 Inform")


class Circle(models.TextChoices):
    CORE = "core", _("Core group (taking part)")
    SECOND = "second", _("Second circle (thinking along)")
    THIRD = "third", _("Third circle (being informed)")


def circle_for_level(level: int) -> str:
    """Levels 1–2 are the core group, 3–4 the second circle, 5 the third."""
    if level <= LadderLevel.CO_PRODUCE:
        return Circle.CORE
    if level <= LadderLevel.CONSULT:
        return Circle.SECOND
    return Circle.THIRD


class PaymentScheme(models.TextChoices):
    VOLUNTEER_ALLOWANCE = "allowance", _("Volunteer allowance")
    PAID_FEE = "paid_fee", _("Paid fee (invoice)")
    EMPLOYED = "employed", _("Employed (payroll, hours only)")
    COSTS_ONLY = "costs_only", _("Costs only")


class Perspective(models.TextChoices):
    YOUTH = "youth", _("Young person")
    PARENT = "parent", _("Parent")
    EITHER = "either", _("Either")
