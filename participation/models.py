"""Every model of the participation app, for Django and for the other apps: ``from
participation.models import Placement``. Each is defined in the package of its concept
(placements, requests, attendance, fees)."""

from participation.attendance.models import Attendance, AttendanceStatus
from participation.choices import Circle, LadderLevel, PaymentScheme, Perspective, circle_for_level
from participation.fees.models import (
    ActivityKind,
    ActivityLog,
    ActivityStatus,
    AllowanceLimit,
    DeclaredAllowance,
    FeeRate,
    FeeUnit,
    Payment,
    PaymentStatus,
)
from participation.placements.models import Placement, PlacementRole, PlacementStatus
from participation.requests.models import (
    ExpertiseWanted,
    Match,
    MatchSide,
    MatchStatus,
    Mode,
    Request,
    RequestStatus,
)

__all__ = [
    "ActivityKind",
    "ActivityLog",
    "ActivityStatus",
    "AllowanceLimit",
    "Attendance",
    "AttendanceStatus",
    "Circle",
    "DeclaredAllowance",
    "ExpertiseWanted",
    "FeeRate",
    "FeeUnit",
    "LadderLevel",
    "Match",
    "MatchSide",
    "MatchStatus",
    "Mode",
    "Payment",
    "PaymentScheme",
    "PaymentStatus",
    "Perspective",
    "Placement",
    "PlacementRole",
    "PlacementStatus",
    "Request",
    "RequestStatus",
    "circle_for_level",
]
