"""Who takes part in what, in which role, with what effort and pay."""

from .attendance import Attendance, AttendanceStatus
from .choices import Circle, LadderLevel, PaymentScheme, Perspective, circle_for_level
from .fees import (
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
from .placements import Placement, PlacementRole, PlacementStatus
from .requests import ExpertiseWanted, Match, MatchSide, MatchStatus, Mode, Request, RequestStatus

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
