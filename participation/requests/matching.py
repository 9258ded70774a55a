"""The match service's ranking: which experts fit a request, and why, factor by factor.

Hard rules first (never suggested): not active or on a break, no consent in force for taking
part (for an expert under 16: given by a parent or guardian), no room left in the hours they
gave for this month, the wrong perspective or no training where trained expertise is needed,
already proposed for this request. The rest is ranked on six weighted factors; fairness spreads
the work instead of always asking the same people.

``suggestions_for_request`` also counts who is left out and by which rule, so the request page
can say so ("2 people are not shown: no consent (1), no room this month (1)") instead of
leaving them out silently."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from experts.models import (
    Expert,
    Expertise,
    ExpertKind,
    ExpertPreferredRole,
    ExpertStatus,
    on_break_condition,
)
from participation.hours.selectors import (
    room_left,
    room_left_for,
    with_agreed_hours,
    with_hours_in_month,
)
from participation.models import ExpertiseWanted, Match, MatchStatus, Perspective, Request
from samen.formatting import format_hours

# Points per factor; the total is scaled to 0–100.
WEIGHTS = {
    "themes": 3,
    "perspective": 1,
    "expertise": 1,
    "availability": 2,
    "role": 2,
    "fairness": 2,
}
FAIRNESS_WINDOW_DAYS = 365
ZERO = Decimal("0")


@dataclass(frozen=True)
class Reason:
    factor: str
    label: str
    points: Decimal
    max_points: int
    explanation: str

    def as_dict(self) -> dict:
        return {
            "factor": self.factor,
            "label": self.label,
            "points": str(self.points),
            "max_points": self.max_points,
            "explanation": self.explanation,
        }


@dataclass
class Suggestion:
    expert: Expert
    score: Decimal
    reasons: list[Reason] = field(default_factory=list)
    room_hours: Decimal = ZERO


# Why someone who has the perspective and experience asked is not suggested, in the order the
# rules are asked: each person is counted once, for the first rule that keeps them out.
LEFT_OUT_REASONS = {
    "on_break": gettext_lazy("on a break"),
    "not_active": gettext_lazy("not active yet"),
    "no_consent": gettext_lazy("no consent"),
    "no_room": gettext_lazy("no room this month"),
}
# At most this many names of people without consent are listed, each with a link to record it.
WITHOUT_CONSENT_NAMES = 10


@dataclass(frozen=True)
class LeftOut:
    """Who has the perspective and experience a request asks, takes part (or may soon) and was
    not proposed yet, but is not suggested: counted per rule (``LEFT_OUT_REASONS``), plus
    those who fit but rank below the shown ones. ``without_consent`` names the first of those
    without consent, by name; ``more_without_consent`` says there are more."""

    on_break: int = 0
    not_active: int = 0
    no_consent: int = 0
    no_room: int = 0
    below_the_best: int = 0
    shown: int = 0
    without_consent: list[Expert] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(count for _key, _label, count in self.reasons)

    @property
    def more_without_consent(self) -> bool:
        return self.no_consent > len(self.without_consent)

    @property
    def reasons(self) -> list[tuple[str, str, int]]:
        """(key, label, count) of each reason that keeps someone out, in the rules' order."""
        rows = [(key, str(label), getattr(self, key)) for key, label in LEFT_OUT_REASONS.items()]
        rows.append(
            (
                "below_the_best",
                _("not among the best %(shown)s") % {"shown": self.shown},
                self.below_the_best,
            )
        )
        return [row for row in rows if row[2]]


@dataclass(frozen=True)
class Suggestions:
    shown: list[Suggestion]
    left_out: LeftOut


def _asked_for(request: Request, experts):
    """``experts`` with the perspective and the experience ``request`` asks for."""
    if request.perspective == Perspective.YOUTH:
        experts = experts.filter(kind=ExpertKind.YOUTH)
    elif request.perspective == Perspective.PARENT:
        experts = experts.filter(kind=ExpertKind.PARENT)
    if request.expertise_wanted == ExpertiseWanted.EXPERTISE:
        experts = experts.filter(expertise=Expertise.EXPERTISE)
    return experts


def _candidates(request: Request, today: datetime.date):
    recent_matches = (
        Match.objects.filter(
            expert=OuterRef("pk"),
            status__in=[MatchStatus.PROPOSED, MatchStatus.CONFIRMED, MatchStatus.DONE],
            proposed_at__date__gte=today - datetime.timedelta(days=FAIRNESS_WINDOW_DAYS),
        )
        .values("expert")
        .annotate(n=Count("pk"))
        .values("n")
    )
    theme_ids = list(request.themes.values_list("pk", flat=True))
    experts = with_agreed_hours(
        with_hours_in_month(
            Expert.objects.available(on=today)
            .with_consent_to_take_part(on=today)
            .exclude(matches__request=request),
            day=today,
        )
    ).annotate(
        prefers_role=Exists(
            ExpertPreferredRole.objects.filter(expert=OuterRef("pk"), role=request.role)
        ),
        recent_matches=Coalesce(Subquery(recent_matches), Value(0)),
        shared_themes=Count("themes", filter=Q(themes__in=theme_ids), distinct=True)
        if theme_ids
        else Value(0),
    )
    return _asked_for(request, experts), len(theme_ids)


def fits_in_room(*, room: Decimal, expected: Decimal, available: Decimal) -> bool:
    """Whether a request of ``expected`` hours fits in the ``room`` an expert has left this
    month. Without room nothing fits; a request asks for its hours, or for all of an expert's
    hours when it needs more than they ever give."""
    if room <= 0:
        return False
    return expected <= 0 or room >= min(expected, available)


def _hours(value: Decimal) -> str:
    """Hours in words: "10", "2,5"."""
    return format_hours(value)


def _points(weight: int, fraction: Decimal) -> Decimal:
    fraction = max(ZERO, min(Decimal("1"), fraction))
    return (Decimal(weight) * fraction).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _ranked(request: Request, today: datetime.date) -> tuple[list[Suggestion], int]:
    """Every expert who may be asked, best first, and how many candidates had no room."""
    experts, wanted_themes = _candidates(request, today)
    expected = request.expected_hours or ZERO
    suggestions: list[Suggestion] = []
    fitting: list[tuple[Expert, Decimal]] = []
    without_room = 0
    for expert in experts:
        available = expert.availability_hours_per_month
        room = room_left(
            available=available, agreed=expert.agreed_hours, used=expert.hours_in_month
        )
        if fits_in_room(room=room, expected=expected, available=available):
            fitting.append((expert, room))
        else:
            without_room += 1
    # Fairness compares with the least-asked expert who is suggested: someone without room is
    # never suggested, so their few requests must not lower everyone else's points.
    fewest = min((e.recent_matches for e, _room in fitting), default=0)
    for expert, room in fitting:
        reasons = [
            _theme_reason(expert.shared_themes, wanted_themes),
            _perspective_reason(request, expert),
            _expertise_reason(request, expert),
            _availability_reason(room, expert.availability_hours_per_month),
            _role_reason(request, expert.prefers_role),
            _fairness_reason(expert.recent_matches, fewest),
        ]
        total = sum((r.points for r in reasons), ZERO)
        score = (total * 100 / sum(WEIGHTS.values())).quantize(Decimal("0.1"), ROUND_HALF_UP)
        suggestions.append(Suggestion(expert=expert, score=score, reasons=reasons, room_hours=room))
    suggestions.sort(key=lambda s: (-s.score, s.expert.recent_matches, s.expert.pk))
    return suggestions, without_room


def rank_experts_for_request(
    request: Request, *, today: datetime.date | None = None, limit: int | None = 20
) -> list[Suggestion]:
    """Experts who may be asked for this request, best first, each with the reasons.

    ``limit=None`` gives every expert who may be asked."""
    suggestions, _without_room = _ranked(request, today or timezone.localdate())
    return suggestions[:limit]


def suggestions_for_request(
    request: Request, *, today: datetime.date | None = None, limit: int = 20
) -> Suggestions:
    """The best ``limit`` suggestions (``rank_experts_for_request``), and who is left out and
    why (``LeftOut``). The hard rules are asked in the order of ``why_not_suggested``; the
    counts add up to everyone with the perspective and experience asked who takes part or may
    soon (``ExpertQuerySet.current``) and was not proposed for this request yet."""
    today = today or timezone.localdate()
    suggestions, without_room = _ranked(request, today)
    on_break = on_break_condition(on=today)
    active = Q(status=ExpertStatus.ACTIVE) & ~on_break
    consent = Q(pk__in=Expert.objects.with_consent_to_take_part(on=today).values("pk"))
    asked = _asked_for(request, Expert.objects.current().exclude(matches__request=request))
    counts = asked.aggregate(
        on_break=Count("pk", filter=on_break),
        not_active=Count("pk", filter=~on_break & ~Q(status=ExpertStatus.ACTIVE)),
        no_consent=Count("pk", filter=active & ~consent),
        no_hours=Count("pk", filter=active & consent & Q(availability_hours_per_month__lte=0)),
    )
    without_consent = []
    if counts["no_consent"]:
        without_consent = list(
            asked.filter(active & ~consent)
            .only("first_name", "last_name")
            .order_by("first_name", "last_name", "pk")[:WITHOUT_CONSENT_NAMES]
        )
    shown = suggestions[:limit]
    return Suggestions(
        shown=shown,
        left_out=LeftOut(
            on_break=counts["on_break"],
            not_active=counts["not_active"],
            no_consent=counts["no_consent"],
            # No hours given at all, or fewer left this month than the request needs.
            no_room=counts["no_hours"] + without_room,
            below_the_best=len(suggestions) - len(shown),
            shown=len(shown),
            without_consent=without_consent,
        ),
    )


def _theme_reason(shared: int, wanted: int) -> Reason:
    if wanted == 0:
        fraction, text = Decimal("1"), _("The request names no themes.")
    else:
        fraction = Decimal(shared) / Decimal(wanted)
        text = _("%(shared)s of the %(wanted)s themes match.") % {
            "shared": shared,
            "wanted": wanted,
        }
    return Reason(
        "themes", _("Themes"), _points(WEIGHTS["themes"], fraction), WEIGHTS["themes"], text
    )


def _perspective_reason(request: Request, expert: Expert) -> Reason:
    if request.perspective == Perspective.EITHER:
        text = _("Any perspective is welcome.")
    else:
        text = _("Takes part as %(kind)s, as asked.") % {"kind": expert.get_kind_display()}
    return Reason(
        "perspective",
        _("Perspective"),
        Decimal(WEIGHTS["perspective"]),
        WEIGHTS["perspective"],
        text,
    )


def _expertise_reason(request: Request, expert: Expert) -> Reason:
    trained = expert.expertise == Expertise.EXPERTISE
    if request.expertise_wanted == ExpertiseWanted.EXPERTISE:
        return Reason(
            "expertise",
            _("Experience"),
            Decimal(WEIGHTS["expertise"]),
            WEIGHTS["expertise"],
            _("Trained, as asked."),
        )
    fraction = Decimal("1") if trained else Decimal("0.5")
    text = _("Trained expert.") if trained else _("Experiential knowledge, not trained.")
    return Reason(
        "expertise",
        _("Experience"),
        _points(WEIGHTS["expertise"], fraction),
        WEIGHTS["expertise"],
        text,
    )


def _availability_reason(room: Decimal, available: Decimal) -> Reason:
    fraction = room / available if available else ZERO
    text = _("%(room)s of %(available)s hours left this month.") % {
        "room": _hours(room),
        "available": _hours(available),
    }
    return Reason(
        "availability",
        _("Room in availability"),
        _points(WEIGHTS["availability"], fraction),
        WEIGHTS["availability"],
        text,
    )


def _role_reason(request: Request, prefers: bool) -> Reason:
    role = request.get_role_display()
    if prefers:
        return Reason(
            "role",
            _("Role"),
            Decimal(WEIGHTS["role"]),
            WEIGHTS["role"],
            _("Likes the role %(role)s.") % {"role": role},
        )
    return Reason(
        "role",
        _("Role"),
        ZERO,
        WEIGHTS["role"],
        _("Did not name the role %(role)s as a preference.") % {"role": role},
    )


def _fairness_reason(recent: int, fewest: int) -> Reason:
    # Each extra request in the last year, compared with the least-asked candidate, costs half.
    extra = recent - fewest
    fraction = Decimal("1") / (Decimal("1") + Decimal(extra)) if extra > 0 else Decimal("1")
    text = _("Asked %(n)s times in the last 12 months.") % {"n": recent}
    return Reason(
        "fairness",
        _("Fair spread"),
        _points(WEIGHTS["fairness"], fraction),
        WEIGHTS["fairness"],
        text,
    )


def why_not_suggested(
    request: Request, expert: Expert, *, today: datetime.date | None = None
) -> str:
    """The hard rule that keeps ``expert`` out of the suggestions for ``request``, in words.

    Asks the same rules as ``rank_experts_for_request``, one expert at a time; only used to
    explain a refusal, so a few queries are fine."""
    today = today or timezone.localdate()
    name = {"name": expert.full_name}
    if expert.is_on_break(today):
        return _("%(name)s is taking a break.") % name
    if expert.status != ExpertStatus.ACTIVE:
        return _("%(name)s is not active.") % name
    if Match.objects.filter(request=request, expert=expert).exists():
        return _("%(name)s was already proposed for this request.") % name
    if expert.is_missing_parental_consent(on=today):
        return _("%(name)s is under 16 and has no consent from a parent or guardian.") % name
    if not Expert.objects.filter(pk=expert.pk).with_consent_to_take_part(on=today).exists():
        return _("%(name)s has not given consent to take part.") % name
    if (request.perspective == Perspective.YOUTH and expert.kind != ExpertKind.YOUTH) or (
        request.perspective == Perspective.PARENT and expert.kind != ExpertKind.PARENT
    ):
        return _("%(name)s does not have the perspective this request asks for.") % name
    if (
        request.expertise_wanted == ExpertiseWanted.EXPERTISE
        and expert.expertise != Expertise.EXPERTISE
    ):
        return _("%(name)s is not trained, and this request asks for trained expertise.") % name
    available = expert.availability_hours_per_month
    room = room_left_for(expert, day=today)
    expected = request.expected_hours or ZERO
    if room <= 0:
        return _("%(name)s has no room left in the hours they gave for this month.") % name
    if not fits_in_room(room=room, expected=expected, available=available):
        return _("%(name)s has %(room)s hours left this month; the request needs %(hours)s.") % {
            **name,
            "room": _hours(room),
            "hours": _hours(expected),
        }
    return _("%(name)s cannot be proposed for this request.") % name
