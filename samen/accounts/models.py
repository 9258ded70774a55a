from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Door(models.TextChoices):
    """The four ways into Samen. The admin site's door is ``is_staff`` (Django's own)."""

    COORDINATOR = "coordinator", _("Coordinator")
    LEAD = "lead", _("Network lead")
    EXPERT = "expert", _("Expert by experience or parent")


class Role(models.TextChoices):
    """The door a user comes through. A network lead's networks are on ``LearningNetwork.leads``."""

    COORDINATOR = "coordinator", _("Coordinator")
    LEAD = "lead", _("Network lead")
    EXPERT = "expert", _("Expert by experience or parent")
    ADMIN = "admin", _("Administrator")


class Language(models.TextChoices):
    """The languages of Samen's pages and e-mails (``settings.LANGUAGES``, Dutch first)."""

    DUTCH = "nl", _("Dutch")
    ENGLISH = "en", _("English")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", Role.ADMIN)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in with an e-mail address. No usernames."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.EXPERT)
    # The language of every e-mail to this person (samen/mail.py); the language switch of a
    # logged-in user and their account page set it.
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.DUTCH
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        indexes = [models.Index(fields=["role"], name="user_role_idx")]
        constraints = [
            # allauth looks addresses up case-insensitively; the database agrees.
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return (self.name.split(" ")[0] if self.name else "") or self.email

    @property
    def is_coordinator(self) -> bool:
        """Coordinators, and admins acting as one, reach the coordinator's door."""
        return self.is_active and (self.role in {Role.COORDINATOR, Role.ADMIN} or self.is_superuser)

    @property
    def is_lead(self) -> bool:
        return self.is_active and self.role == Role.LEAD

    @property
    def is_expert(self) -> bool:
        return self.is_active and self.role == Role.EXPERT

    @property
    def door(self) -> str | None:
        """The door whose pages this user may open, or None (inactive, or no door yet)."""
        if self.is_coordinator:
            return Door.COORDINATOR
        if self.is_lead:
            return Door.LEAD
        if self.is_expert:
            return Door.EXPERT
        return None

    @property
    def needs_mfa(self) -> bool:
        """Coordinators and admins see special-category personal data."""
        return self.is_staff or self.is_superuser or self.role in {Role.COORDINATOR, Role.ADMIN}
