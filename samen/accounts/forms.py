from allauth.account.forms import LoginForm as AllauthLoginForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AllauthLoginForm):
    """allauth's login form. "Remember me" says that it does not keep coordinators and admins
    logged in: their session ends when the browser closes (StaffSessionTimeoutMiddleware)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "remember" in self.fields:
            self.fields["remember"].help_text = _(
                "Coordinators and administrators are always logged out when the browser closes."
            )
