"""E-mails about an expert's own data: a download is ready; the erasure is done. Composed
here, sent by the tasks in ``tasks.py``."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

from samen.mail import email_for

from .models import DataExport, ErasureRequest
from .registry import PAYMENT_RETENTION_YEARS


def data_export_ready_message(export: DataExport, *, to: str) -> EmailMessage:
    """Your download is ready: the link, and until when it works (then the file is gone)."""
    expert = export.expert

    def compose() -> EmailMessage:
        subject = gettext("Your data is ready to download")
        body = render_to_string(
            "participation/mydata/email/export_ready.txt",
            {
                "name": expert.first_name,
                "export": export,
                "download_url": settings.SAMEN_SITE_URL
                + reverse("expert:my_data_download", args=[export.pk]),
                "page_url": settings.SAMEN_SITE_URL + reverse("expert:my_data"),
            },
        )
        return EmailMessage(
            subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
        )

    return email_for(expert.user, compose)


def erasure_done_message(erasure: ErasureRequest) -> EmailMessage:
    """The last e-mail: your data is erased, and what was kept. It names nobody: the name is
    gone already."""

    def compose() -> EmailMessage:
        subject = gettext("Your data in Samen has been erased")
        body = render_to_string(
            "participation/mydata/email/erasure_done.txt",
            {"erasure": erasure, "retention_years": PAYMENT_RETENTION_YEARS},
        )
        return EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[erasure.farewell_to],
        )

    # The account is gone: the language was kept on the request until this e-mail.
    return email_for(None, compose, language=erasure.farewell_language)
