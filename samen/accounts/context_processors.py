from django.http import HttpRequest


def door(request: HttpRequest) -> dict:
    """Which door the visitor uses, and the section of the site the page is in, for the
    navigation in base.html.

    ``nav_path`` is the path's first two parts ("/coordinator/ervaringsdeskundigen/" for an
    expert's page too): the menu item with that URL is the current one. The navigation is
    rendered once per door, section and language (``{% memo %}``), so it must not look at the
    whole path."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"door": None, "nav_path": ""}
    parts = request.path.split("/", 3)[1:3]
    return {"door": user.door, "nav_path": "/" + "".join(f"{part}/" for part in parts if part)}
