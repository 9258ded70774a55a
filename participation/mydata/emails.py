"""E-mails about an expert's own data: a download is ready; the erasure is done. Composed
here, sent by the tasks in ``tasks.py``."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from participation.requests.emails import expert_language

from .models import DataExport, ErasureRequest
from .registry import PAYMENT_RETENTION_YEARS


def data_export_ready_message(export: DataExport, *, to: str) -> EmailMessage:
    """Your download is ready: the link, and until when it works (then the file is gone)."""
    expert = export.expert
    with translation.override(expert_language(expert)):
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
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])


def erasure_done_message(erasure: ErasureRequest) -> EmailMessage:
    """The last e-mail: your data is erased, and what was kept. It names nobody: the name is
    gone already."""
    with translation.override(erasure.farewell_language or settings.LANGUAGE_CODE):
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
