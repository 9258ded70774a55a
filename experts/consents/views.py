"""The coordinator's consent pages: record a consent given on paper, in person or by e-mail,
record its withdrawal, and open the scan of the signed form.

The scan is served only here, to a coordinator, as a download: it has no URL of its own
(``samen.storage.PrivateStorage``)."""

from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from experts.access import get_consent_for_user, get_expert_for_user
from experts.models import Consent, ConsentPurpose
from samen.accounts.permissions import coordinator_required
from samen.forms import add_service_errors
from samen.params import text_param

from . import services
from .forms import ConsentForm, ConsentWithdrawForm

# What withdrawing a consent does, per purpose, as the page says it before the coordinator
# records it. Each sentence names what Samen does, or what the coordinator must do because
# Samen does not (yet). ``%(name)s`` is the expert.
WITHDRAWAL_EFFECTS = {
    ConsentPurpose.PARTICIPATION: [
        gettext_lazy(
            "%(name)s can no longer be linked to a network, and is no longer suggested for "
            "requests."
        ),
        gettext_lazy("Network leads no longer see %(name)s, and no contact details either."),
        gettext_lazy(
            "%(name)s gets no more e-mails or reminders about proposals that wait for an answer."
        ),
        gettext_lazy(
            "Links that still run stay until you end them. The Overview shows them under "
            "“Consent to take part withdrawn, still linked”."
        ),
    ],
    ConsentPurpose.SPECIAL_DATA: [
        gettext_lazy(
            "Samen does not remove the lived-experience themes and health notes itself. "
            "Remove them from the profile of %(name)s."
        ),
    ],
    ConsentPurpose.CONTACT: [
        gettext_lazy(
            "Samen does not check this yet. Do not ask %(name)s for new requests anymore."
        ),
    ],
    ConsentPurpose.PHOTOS: [
        gettext_lazy(
            "Do not use photos or recordings of %(name)s anymore. Remove them where you can."
        ),
    ],
}


def withdrawal_effects(consent: Consent) -> list[str]:
    """What withdrawing ``consent`` does, in sentences for the coordinator."""
    name = {"name": consent.expert.full_name}
    return [str(effect) % name for effect in WITHDRAWAL_EFFECTS.get(consent.purpose, [])]


@coordinator_required
@require_http_methods(["GET", "POST"])
def consent_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a consent for the expert ``pk``; ``?purpose=`` chooses the purpose."""
    expert = get_expert_for_user(request, pk)
    form = ConsentForm(
        request.POST or None,
        request.FILES or None,
        initial=ConsentForm.initial_for(expert, text_param(request.GET, "purpose")),
    )
    if request.method == "POST" and form.is_valid():
        try:
            consent = services.consent_record(
                expert=expert, recorded_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The consent of %(expert)s for “%(purpose)s” is recorded.")
                % {"expert": expert.full_name, "purpose": consent.get_purpose_display()},
            )
            return redirect("coordinator:expert_detail", expert.pk)
    if form.errors and request.FILES.get("scan") and "scan" not in form.errors:
        # A browser never keeps a chosen file when the page comes back.
        form.add_error("scan", _("Choose the file again."))
    return render(request, "experts/consents/form.html", {"expert": expert, "form": form})


@coordinator_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that a consent was withdrawn, and from which day."""
    consent = get_consent_for_user(request, pk)
    form = ConsentWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(
                consent=consent,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                withdrawn_by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The withdrawal of the consent for “%(purpose)s” is recorded.")
                % {"purpose": consent.get_purpose_display()},
            )
            return redirect("coordinator:expert_detail", consent.expert_id)
    return render(
        request,
        "experts/consents/withdraw.html",
        {"consent": consent, "form": form, "effects": withdrawal_effects(consent)},
    )


@coordinator_required
@require_GET
def consent_scan(request: HttpRequest, pk: int) -> FileResponse:
    """The scan of a consent, as a download for the coordinator; 404 without one."""
    consent = get_consent_for_user(request, pk)
    if not consent.scan:
        raise Http404
    extension = PurePath(consent.scan.name).suffix
    try:
        file = consent.scan.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        file,
        as_attachment=True,
        filename=f"{slugify(_('consent'))}-{consent.pk}{extension}",
        content_type=services.SCAN_CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    return response
