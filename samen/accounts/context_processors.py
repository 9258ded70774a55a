from django.http import HttpRequest


def door(request: HttpRequest) -> dict:
    """Which door the visitor uses, for the navigation in base.html."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"door": None}
    if user.is_coordinator:
        return {"door": "coordinator"}
    if user.is_lead:
        return {"door": "lead"}
    if user.is_expert:
        return {"door": "expert"}
    return {"door": None}
