"""Every model of the experts app, for Django and for the other apps: ``from experts.models
import Expert``. Each is defined in the package of its concept (profiles, consents, trainings,
invitations, recruitment, imports, parental)."""

from experts.consents.models import (
    PARENTAL_CONSENT_AGE,
    PARENTAL_GIVERS,
    Consent,
    ConsentGiver,
    ConsentMethod,
    ConsentPurpose,
    ConsentQuerySet,
)
from experts.imports.models import ImportMapping, PendingImport
from experts.invitations.models import Invitation, InvitationState
from experts.parental.models import ParentalConsentRequest, ParentalLinkState
from experts.profiles.models import (
    CURRENT_STATUSES,
    BenefitSituation,
    Expert,
    Expertise,
    ExpertKind,
    ExpertPreferredRole,
    ExpertQuerySet,
    ExpertRole,
    ExpertStatus,
    Theme,
)
from experts.recruitment.models import (
    Organisation,
    OrganisationKind,
    RecruitmentChannel,
    RecruitmentContact,
)
from experts.trainings.models import Training, TrainingKind, TrainingRecord

__all__ = [
    "CURRENT_STATUSES",
    "PARENTAL_CONSENT_AGE",
    "PARENTAL_GIVERS",
    "BenefitSituation",
    "Consent",
    "ConsentGiver",
    "ConsentMethod",
    "ConsentPurpose",
    "ConsentQuerySet",
    "Expert",
    "ExpertKind",
    "ExpertPreferredRole",
    "ExpertQuerySet",
    "ExpertRole",
    "ExpertStatus",
    "Expertise",
    "ImportMapping",
    "Invitation",
    "InvitationState",
    "Organisation",
    "OrganisationKind",
    "ParentalConsentRequest",
    "ParentalLinkState",
    "PendingImport",
    "RecruitmentChannel",
    "RecruitmentContact",
    "Theme",
    "Training",
    "TrainingKind",
    "TrainingRecord",
]
