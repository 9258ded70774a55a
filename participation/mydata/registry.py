"""Everything Samen holds about one expert, found by introspection, and what erasure does with
each part.

Every model with a relation (foreign key, one-to-one or many-to-many) to ``Expert`` or to the
user model is named in ``PERSONAL_DATA`` with a ``Rule``: which of its relations make a row
the expert's own (``about``), which only name the expert or their account on a row about
something else (``actors``: who recorded, who is in a group), and what erasure does with the
rows. A model whose rows belong to one of those rows (the roles of a placement) is named too,
``about`` its parent. Historical models (django-simple-history) follow their model's rule; the
admin's log names rows by content type and id instead of a foreign key (``object_of``).
``tests/participation/mydata/test_registry.py`` walks ``apps.get_models()`` and fails when a
model refers to an expert, an account, or one of these rows and is not named here: a new model
cannot be left out of the download or the erasure by being forgotten.

The download holds every field of every row ``about`` the expert, except the few in
``left_out`` (keys, not data about the person). The coordinator's private notes are in it:
the right of access (AVG art. 15) covers every piece of personal data, and the profile tells
the expert that they and the coordinators read those notes (docs/domain.md, "Download and
erasure")."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from experts.models import Expert


class Erase(enum.Enum):
    """What erasure does with a model's rows about the expert."""

    DELETE = "delete"  # deleted, with their files
    KEEP = "keep"  # kept (all, or those of ``kept_rows``), every field but ``kept`` emptied
    TOMBSTONE = "tombstone"  # the expert's own row: kept without any personal field
    RECOUNT = "recount"  # sums of other rows: counted again from the rows that are kept
    NOT_ABOUT = "not_about"  # rows about something else: only the ``actors`` fields emptied


@dataclass(frozen=True)
class Rule:
    erase: Erase
    why: str
    about: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    kept_rows: Q | None = None
    left_out: Mapping[str, str] = field(default_factory=dict)
    object_of: tuple[str, str] | None = None


# Payment records are kept this many years for the tax authorities, also after erasure
# (docs/domain.md, "Keeping records"). The law sets it, so it is not a setting.
PAYMENT_RETENTION_YEARS = 7

# The expert's own row and their account: the roots every other rule starts from.
SELF = "pk"
_BOOKS_WHY = (
    "Payment records are kept seven years for the tax authorities, also after erasure "
    "(docs/domain.md, 'Keeping records'), without the name they were paid to."
)

# In the order erasure deletes them: a row before the rows it protects (ActivityLog before
# Placement and Match, which it refers to with PROTECT).
PERSONAL_DATA: dict[str, Rule] = {
    "experts.Expert": Rule(
        Erase.TOMBSTONE,
        "Kept without any personal field, so the payments kept for the books still belong to "
        "one (nameless) person and the erasure request to what it erased.",
        about=(SELF,),
        actors=("user", "recruitment_source"),
        kept=("id", "kind", "status", "erased_at", "created_at", "updated_at"),
    ),
    settings.AUTH_USER_MODEL: Rule(
        Erase.DELETE,
        "The account: deleted, with its sessions; nobody logs in as the expert any more.",
        about=(SELF,),
        left_out={"password": _("your password, scrambled: a key, not data about you")},
    ),
    "accounts.User_groups": Rule(Erase.DELETE, "Rights of the account.", about=("user",)),
    "accounts.User_user_permissions": Rule(Erase.DELETE, "Rights of the account.", about=("user",)),
    "account.EmailAddress": Rule(
        Erase.DELETE, "The account's e-mail addresses (allauth).", about=("user",)
    ),
    "account.EmailConfirmation": Rule(
        Erase.DELETE,
        "Confirmations of the account's e-mail addresses (allauth).",
        about=("email_address",),
        left_out={"key": _("the key of a confirmation link")},
    ),
    "mfa.Authenticator": Rule(
        Erase.DELETE,
        "The account's two-step login (allauth).",
        about=("user",),
        left_out={"data": _("the secret of your app and your recovery codes: keys")},
    ),
    "usersessions.UserSession": Rule(
        Erase.DELETE,
        "Where and with which browser the account is logged in (allauth).",
        about=("user",),
        left_out={
            "session_key": _("the key of a login"),
            "data": _("what is kept about a login while it lasts"),
        },
    ),
    "experts.Expert_themes": Rule(
        Erase.DELETE, "Lived-experience themes: special-category data.", about=("expert",)
    ),
    "experts.ExpertPreferredRole": Rule(Erase.DELETE, "Part of the profile.", about=("expert",)),
    "experts.Consent": Rule(
        Erase.DELETE,
        "Consents and their scans: with nobody to consent for, nothing is left to record.",
        about=("expert",),
        actors=("recorded_by",),
    ),
    "experts.Invitation": Rule(
        Erase.DELETE,
        "Invitations to the account, with the address they went to.",
        about=("expert",),
        actors=("sent_by", "withdrawn_by"),
    ),
    "experts.TrainingRecord": Rule(Erase.DELETE, "Trainings the expert did.", about=("expert",)),
    "experts.ParentalConsentRequest": Rule(
        Erase.DELETE,
        "Who was asked for a parent's consent (name, e-mail address) and what they answered.",
        about=("expert",),
        actors=("requested_by",),
        left_out={"token_hash": _("the key of the parent's link, scrambled")},
    ),
    "experts.TrainingRequest": Rule(
        Erase.DELETE,
        "Trainings the expert asked for, with their own words and note.",
        about=("expert",),
        actors=("handled_by",),
    ),
    "experts.ExpertSupportNeed": Rule(
        Erase.DELETE, "Support the expert needs: part of the profile.", about=("expert",)
    ),
    "experts.AvailableTime": Rule(
        Erase.DELETE, "The parts of the week the expert is free.", about=("expert",)
    ),
    "experts.AwayPeriod": Rule(Erase.DELETE, "Periods the expert is away.", about=("expert",)),
    "experts.ImportMapping": Rule(
        Erase.NOT_ABOUT, "The layout of an import file; names who chose it.", actors=("updated_by",)
    ),
    "experts.PendingImport": Rule(
        Erase.NOT_ABOUT,
        "A coordinator's import; deleted with that coordinator's account.",
        actors=("owner",),
    ),
    "experts.RecruitmentContact": Rule(
        Erase.NOT_ABOUT,
        "A contact with an organisation; names who recorded it.",
        actors=("created_by", "follow_up_done_by"),
    ),
    "learning_networks.LearningNetwork": Rule(
        Erase.NOT_ABOUT, "A network; names its leads.", actors=("leads",)
    ),
    "learning_networks.LearningNetwork_leads": Rule(
        Erase.DELETE, "The networks the account leads.", about=("user",)
    ),
    "learning_networks.BreakoutGroup": Rule(
        Erase.NOT_ABOUT, "A subgroup of a meeting; names its members.", actors=("experts",)
    ),
    "learning_networks.BreakoutGroup_experts": Rule(
        Erase.DELETE, "The subgroups the expert was in.", about=("expert",)
    ),
    "learning_networks.SmallProject": Rule(
        Erase.NOT_ABOUT, "A small project; names who took part.", actors=("experts",)
    ),
    "learning_networks.SmallProject_experts": Rule(
        Erase.DELETE, "The small projects the expert took part in.", about=("expert",)
    ),
    "participation.Attendance": Rule(
        Erase.DELETE, "Answers to meetings and who was there.", about=("expert",)
    ),
    "participation.CalendarFeed": Rule(
        Erase.DELETE,
        "The calendar link.",
        about=("expert",),
        left_out={"token": _("the key of your calendar link: it is on your commitments page")},
    ),
    "participation.DeclaredAllowance": Rule(
        Erase.DELETE, "Allowances from other organisations.", about=("expert",)
    ),
    "participation.Payment": Rule(
        Erase.KEEP,
        _BOOKS_WHY,
        about=("expert",),
        actors=("created_by", "paid_by"),
        kept=(
            "id",
            "expert",
            "payment_scheme",
            "year",
            "month",
            "allowance_amount",
            "fee_amount",
            "costs_amount",
            "status",
            "reference",
            "created_by",
            "created_at",
            "paid_at",
            "paid_by",
        ),
    ),
    "participation.ActivityLog": Rule(
        Erase.KEEP,
        "Hours that were paid, or are in a payment, are part of the books (a paid log cannot "
        "be deleted: KeptWhenPaid); they are kept with their numbers only, without what was "
        "done, the receipt or what they were for. Other hours are deleted.",
        about=("expert",),
        actors=("logged_by", "approved_by"),
        kept=(
            "id",
            "expert",
            "date",
            "kind",
            "hours",
            "sessions",
            "travel_costs",
            "status",
            "fee_rate",
            "amount",
            "logged_by",
            "approved_by",
            "approved_at",
            "payment",
            "created_at",
        ),
        kept_rows=Q(status="paid") | Q(payment__isnull=False),
    ),
    "participation.ExpertMonth": Rule(
        Erase.RECOUNT,
        "Sums of the hours per month: counted again from the hours kept for the books.",
        about=("expert",),
    ),
    "participation.Placement": Rule(
        Erase.DELETE,
        "Links to networks, with their agreements.",
        about=("expert",),
        actors=("created_by",),
    ),
    "participation.PlacementRole": Rule(
        Erase.DELETE, "The roles of the expert's links.", about=("placement",)
    ),
    "participation.Match": Rule(
        Erase.DELETE,
        "Proposals for requests and the answers to them.",
        about=("expert",),
        actors=("proposed_by",),
    ),
    "participation.Request": Rule(
        Erase.NOT_ABOUT, "A request for expert input; names who entered it.", actors=("created_by",)
    ),
    "participation.ExportLog": Rule(
        Erase.DELETE,
        "The log of the account's own downloads (and exports, for a coordinator).",
        about=("user",),
    ),
    "participation.DataExport": Rule(
        Erase.DELETE,
        "Downloads of the expert's own data, with their files.",
        about=("expert",),
        left_out={"file": _("the file of an earlier download: you have it already")},
    ),
    "participation.ErasureRequest": Rule(
        Erase.KEEP,
        "The record that the expert asked and what the coordinator answered, without a "
        "reason that could say something about the person.",
        about=("expert",),
        actors=("decided_by",),
        # The request being answered, and those done before; refused or taken back ones go.
        kept_rows=Q(state__in=["waiting", "done"]),
        kept=(
            "id",
            "expert",
            "state",
            "requested_at",
            "decided_at",
            "decided_by",
            # Emptied by the last e-mail's task, once it has gone out.
            "farewell_to",
            "farewell_language",
            "farewell_sent_at",
        ),
    ),
    "evaluations.Feedback": Rule(
        Erase.DELETE,
        "Tips and tops the expert gave under their name: their own words, which may say who "
        "they are. Anonymous ones have no author and are not theirs in Samen.",
        about=("author",),
    ),
    "admin.LogEntry": Rule(
        Erase.DELETE,
        "The admin site's log of changes to the expert's records (it copies their names).",
        about=("user",),
        object_of=("content_type", "object_id"),
    ),
}

# Models that refer to a model of ``PERSONAL_DATA`` but hold nothing about the expert.
NOT_PERSONAL: dict[str, str] = {
    "auth.Permission": "The site's permissions: about no one.",
    "participation.NetworkComposition": "Counts per network: about no one.",
}


def history_model(model: type[models.Model]) -> type[models.Model] | None:
    """The historical model django-simple-history keeps for ``model``, if any."""
    manager = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, manager).model if manager else None


def historical_models() -> dict[type[models.Model], type[models.Model]]:
    """Every historical model, with the model it keeps the history of."""
    return {
        history: model
        for model in apps.get_models()
        if (history := history_model(model)) is not None
    }


def rule_for(model: type[models.Model]) -> Rule:
    return PERSONAL_DATA[model._meta.label]


@dataclass
class Found:
    """The rows of one model about the expert: the ids of the model's own rows, and the query
    of its history's rows (asked when needed: erasure adds history rows as it deletes)."""

    model: type[models.Model]
    rule: Rule
    pks: list = field(default_factory=list)

    @property
    def rows(self) -> QuerySet:
        return self.model._default_manager.filter(pk__in=self.pks)


@dataclass
class PersonalData:
    """What Samen holds about one expert (and their account), found through ``PERSONAL_DATA``."""

    expert: Expert
    user: models.Model | None
    found: dict[str, Found] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Found]:
        return iter(self.found.values())

    def __getitem__(self, label: str) -> Found:
        return self.found[label]

    def history_rows(self, found: Found) -> QuerySet | None:
        """The rows of ``found``'s history: of the rows found (also those deleted since: the
        ids stay), and those whose own relations name the expert, their account or a row of
        theirs (rows of an earlier placement that was deleted)."""
        history = history_model(found.model)
        if history is None:
            return None
        condition = Q(id__in=found.pks)
        for name in found.rule.about:
            if name != SELF:
                condition |= self._about(history, name, with_history=True)
        return history._default_manager.filter(condition)

    # Finding the rows -----------------------------------------------------------------------

    def _target_pks(self, model: type[models.Model], *, with_history: bool) -> list:
        found = self.find(model._meta.label)
        pks = list(found.pks)
        if with_history and (rows := self.history_rows(found)) is not None:
            pks += list(rows.values_list("id", flat=True))
        return pks

    def _about(self, model: type[models.Model], name: str, *, with_history: bool = False) -> Q:
        if name == SELF:
            root = self.expert if model is Expert else self.user
            return Q(pk=root.pk) if root is not None else Q(pk__in=[])
        related = model._meta.get_field(name).related_model
        # Historical models keep the relations as plain ids (no constraint): compare ids.
        key = f"{model._meta.get_field(name).attname}__in" if with_history else f"{name}__in"
        if related is Expert:
            return Q(**{key: [self.expert.pk]})
        if related._meta.label == settings.AUTH_USER_MODEL:
            return Q(**{key: [self.user.pk]}) if self.user is not None else Q(pk__in=[])
        return Q(**{key: self._target_pks(related, with_history=with_history)})

    def find(self, label: str) -> Found:
        if label in self.found:
            return self.found[label]
        rule = PERSONAL_DATA[label]
        model = apps.get_model(label)
        condition = Q(pk__in=[])
        for name in rule.about:
            condition |= self._about(model, name)
        if rule.object_of is not None:
            condition |= self._objects_named(model, *rule.object_of)
        pks = list(
            model._default_manager.filter(condition).order_by("pk").values_list("pk", flat=True)
        )
        self.found[label] = Found(model=model, rule=rule, pks=pks)
        return self.found[label]

    def _objects_named(self, model, content_type_field: str, object_id_field: str) -> Q:
        """Rows that name one of the expert's rows by content type and id (the admin's log)."""
        others = [found for found in self.found.values() if found.pks]
        types = ContentType.objects.get_for_models(*(found.model for found in others))
        condition = Q(pk__in=[])
        for found in others:
            ids = found.rows.annotate(as_text=Cast("pk", CharField())).values("as_text")
            condition |= Q(
                **{content_type_field: types[found.model], f"{object_id_field}__in": ids}
            )
        return condition


def personal_data(expert: Expert) -> PersonalData:
    """Everything Samen holds about ``expert`` and their account, per model of
    ``PERSONAL_DATA`` (in its order), the ids read now. A query or two per model."""
    data = PersonalData(expert=expert, user=expert.user)
    for label, rule in PERSONAL_DATA.items():
        if rule.object_of is None:
            data.find(label)
    for label, rule in PERSONAL_DATA.items():
        if rule.object_of is not None:
            data.find(label)
    data.found = {label: data.found[label] for label in PERSONAL_DATA}
    return data


# Checks of the registry itself (tests/participation/mydata/test_registry.py) --------------


def _relations(model: type[models.Model]) -> list[models.Field]:
    """The relations a model holds itself: foreign keys, one-to-ones and many-to-manys."""
    return [
        field
        for field in model._meta.get_fields()
        if field.is_relation and not field.auto_created and field.related_model is not None
    ]


def _own_data_models() -> set[type[models.Model]]:
    """The models whose rows about the expert are the expert's own (not only naming them)."""
    return {
        apps.get_model(label)
        for label, rule in PERSONAL_DATA.items()
        if rule.erase is not Erase.NOT_ABOUT
    }


def uncovered(candidates: Iterable[type[models.Model]]) -> list[str]:
    """The relations among ``candidates`` that ``PERSONAL_DATA`` does not say what to do with:
    a relation to an expert or an account that is neither ``about`` nor ``actors`` of its
    model's rule, a model that refers to a row of an expert's own data and has no rule (nor a
    reason in ``NOT_PERSONAL``), a model that names rows by content type without
    ``object_of``. Historical models follow their model; their ``history_user`` is always who
    made the change."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    own = _own_data_models()
    problems = []
    for model in candidates:
        label = model._meta.label
        instance = getattr(model, "instance_type", None)
        rule = PERSONAL_DATA.get((instance or model)._meta.label)
        for relation in _relations(model):
            target = relation.related_model
            where = f"{label}.{relation.name}"
            if target is Expert or target is user_model:
                if instance is not None and relation.name == "history_user":
                    continue
                if rule is None or relation.name not in (*rule.about, *rule.actors):
                    problems.append(f"{where} refers to {target._meta.label}")
            elif target in own and target is not model and rule is None:
                if label not in NOT_PERSONAL:
                    problems.append(f"{where} refers to {target._meta.label}, a row of own data")
            elif (
                target is ContentType
                and label not in NOT_PERSONAL
                and (rule is None or rule.object_of is None)
            ):
                problems.append(f"{where} names rows by content type")
    return problems
