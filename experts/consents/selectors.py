"""What the expert's own consent pages (and a parent's link) show: per purpose, the consent in
force, or the one withdrawn last."""

import datetime
from dataclasses import dataclass

from experts.models import Consent, ConsentPurpose, Expert

from .explanations import explanation, withdrawing


@dataclass(frozen=True)
class PurposeState:
    """One purpose as the expert (or their parent) sees it."""

    purpose: str
    label: str
    explanation: str
    withdrawing: list[str]
    in_force: Consent | None  # the consent that counts today, if any
    withdrawn: Consent | None  # else the one withdrawn last, if any

    @property
    def given(self) -> bool:
        return self.in_force is not None


def purpose_states(
    expert: Expert, *, on: datetime.date, child: str | None = None
) -> list[PurposeState]:
    """Every purpose in the order of ``ConsentPurpose``, with the expert's consent in force on
    ``on`` (by ``Consent.in_force_on``, the rule of ``ConsentQuerySet.in_force`` for one
    consent) or else the one withdrawn last. Texts for the expert, or for the parent of
    ``child`` (a first name). One query."""
    consents = list(expert.consents.order_by("-given_at", "-pk"))
    states = []
    for purpose in ConsentPurpose:
        mine = [consent for consent in consents if consent.purpose == purpose]
        in_force = next((consent for consent in mine if consent.in_force_on(on)), None)
        withdrawn = None
        if in_force is None:
            withdrawn = next((consent for consent in mine if consent.withdrawn_at), None)
        states.append(
            PurposeState(
                purpose=purpose.value,
                label=str(purpose.label),
                explanation=explanation(purpose, child=child),
                withdrawing=withdrawing(purpose, child=child),
                in_force=in_force,
                withdrawn=withdrawn,
            )
        )
    return states
