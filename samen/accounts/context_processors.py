from django.http import HttpRequest


def door(request: HttpRequest) -> dict:
    """Which door the visitor uses, for the navigation in base.html."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"door": None}
    return {"door": user.door}
