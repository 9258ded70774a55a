"""Every model of the participation app, for Django and for the other apps: ``from
participation.models import Placement``. Each is defined in the package of its concept
(placements, requests, attendance, hours, fees, registry)."""

from participation.attendance.models import Attendance, AttendanceStatus
from participation.choices import Circle, LadderLevel, PaymentScheme, Perspective, circle_for_level
from participation.commitments.models import CalendarFeed
from participation.fees.models import (
    AllowanceLimit,
    DeclaredAllowance,
    FeeRate,
    FeeUnit,
    Payment,
    PaymentStatus,
)
from participation.hours.models import (
    ActivityKind,
    ActivityLog,
    ActivityStatus,
    ExpertMonth,
    MonthTotal,
)
from participation.mydata.models import (
    DataExport,
    DataExportState,
    ErasureRequest,
    ErasureState,
)
from participation.placements.models import (
    NetworkComposition,
    Placement,
    PlacementRole,
    PlacementStatus,
)
from participation.registry.models import ExportFormat, ExportKind, ExportLog
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
    "CalendarFeed",
    "DataExport",
    "DataExportState",
    "ErasureRequest",
    "ErasureState",
    "Circle",
    "DeclaredAllowance",
    "ExpertMonth",
    "ExportFormat",
    "ExportKind",
    "ExportLog",
    "ExpertiseWanted",
    "FeeRate",
    "FeeUnit",
    "LadderLevel",
    "Match",
    "MatchSide",
    "MatchStatus",
    "Mode",
    "NetworkComposition",
    "MonthTotal",
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
