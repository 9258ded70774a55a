"""Writes of the coordinator's expert registry: the log of its exports."""

from samen.accounts.models import User

from .models import ExportFormat, ExportKind, ExportLog


def export_log_record(
    *, user: User, kind: ExportKind, query: str, rows: int, export_format: ExportFormat
) -> ExportLog:
    """Log an export of personal data before its file is sent: who, with which filter (the
    query string), how many rows, in which format. One insert; the moment is the database's
    now."""
    return ExportLog.objects.create(
        user=user,
        user_email=user.email,
        kind=kind,
        query=query,
        rows=rows,
        format=export_format,
    )
