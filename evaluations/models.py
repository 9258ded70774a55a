"""Tips & tops rounds and anonymous questionnaires for parents who cannot join in person."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from learning_networks.models import LearningNetwork


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class EvaluationRound(models.Model):
    """The yearly tips & tops, from both perspectives (experts and network leads)."""

    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    networks = models.ManyToManyField(
        LearningNetwork, blank=True, related_name="evaluation_rounds", verbose_name=_("networks")
    )

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["year", "title"], name="evaluation_round_unique"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="evaluation_round_closes_after_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class FeedbackKind(models.TextChoices):
    TIP = "tip", _("Tip")
    TOP = "top", _("Top")


class RespondentGroup(models.TextChoices):
    EXPERT = "expert", _("Experts by experience")
    PARENT = "parent", _("Parents")
    LEAD = "lead", _("Network leads")
    COORDINATOR = "coordinator", _("Coordinators")


class Feedback(models.Model):
    round = models.ForeignKey(
        EvaluationRound, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("round")
    )
    kind = models.CharField(_("tip or top"), max_length=3, choices=FeedbackKind.choices)
    respondent_group = models.CharField(_("from"), max_length=15, choices=RespondentGroup.choices)
    network = models.ForeignKey(
        LearningNetwork,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
        verbose_name=_("network"),
    )
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
        help_text=_("Empty when the feedback was given anonymously."),
    )
    created_at = models.DateTimeField(_("given at"), auto_now_add=True)

    class Meta:
        verbose_name = _("tip or top")
        verbose_name_plural = _("tips and tops")
        ordering = ["round", "kind", "-created_at"]
        indexes = [models.Index(fields=["round", "kind"], name="feedback_round_kind_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="feedback_has_text"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:50]}"


class Questionnaire(models.Model):
    """Reached through a link, without an account: a parent answers anonymously."""

    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    token = models.CharField(_("link code"), max_length=64, unique=True, default=_new_token)
    is_open = models.BooleanField(_("open for answers"), default=True)
    network = models.ForeignKey(
        LearningNetwork,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questionnaires",
        verbose_name=_("network"),
    )
    round = models.ForeignKey(
        EvaluationRound,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questionnaires",
        verbose_name=_("evaluation round"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Open answer")
    CHOICE = "choice", _("Choice")
    SCALE = "scale", _("Scale 1 to 5")


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("questionnaire"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.TEXT
    )
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "order"], name="question_order_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class QuestionnaireResponse(models.Model):
    """One anonymous set of answers: no account, no IP address, no e-mail."""

    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        related_name="responses",
        verbose_name=_("questionnaire"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire response")
        verbose_name_plural = _("questionnaire responses")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.questionnaire} #{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(
        QuestionnaireResponse,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("response"),
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    text = models.TextField(_("answer"), blank=True)
    scale = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="answer_one_per_question"
            ),
            models.CheckConstraint(
                condition=Q(scale__isnull=True) | Q(scale__gte=1, scale__lte=5),
                name="answer_scale_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:50] or str(self.scale)
