from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Language


class LoginForm(AllauthLoginForm):
    """allauth's login form. "Remember me" says that it does not keep coordinators and admins
    logged in: their session ends when the browser closes (StaffSessionTimeoutMiddleware)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "remember" in self.fields:
            self.fields["remember"].help_text = _(
                "Coordinators and administrators are always logged out when the browser closes."
            )


class LanguageForm(forms.Form):
    """The language of a user's e-mails and pages: the account page's choice, and the language
    switch in the menu (``language``, the field name Django's ``set_language`` reads)."""

    language = forms.ChoiceField(
        label=_("My language"),
        # Each language in its own words, as in the menu's switch.
        choices=[(Language.DUTCH, "Nederlands"), (Language.ENGLISH, "English")],
        widget=forms.RadioSelect,
        help_text=_(
            "Samen writes your e-mails in this language. On this device you also see Samen in it."
        ),
    )
