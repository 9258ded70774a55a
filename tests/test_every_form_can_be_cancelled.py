"""Every form page of the coordinator's door has "Annuleren": a way back without saving.

The form pages are found from the URL map itself, not from a list: a page that answers both GET
and POST (and refuses other methods with 405) is a form page. A new form page is checked
without being listed here; a page that needs an object says which one in ``OBJECT_FOR``."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from experts.models import Invitation, TrainingRequest
from participation.models import ErasureRequest, MatchStatus
from tests.factories import (
    ActivityLogFactory,
    ConsentFactory,
    ExpertFactory,
    LearningNetworkFactory,
    MatchFactory,
    OrganisationFactory,
    PlacementFactory,
    RecruitmentContactFactory,
    RequestFactory,
)

# Which seeded object fills <int:pk> of a coordinator's URL, by its name's start. The longest
# start that fits wins.
OBJECT_FOR = {
    "activity_": "activity_log",
    "expert_": "expert",
    "consent_create": "expert",
    "consent_": "consent",
    "network_": "network",
    "placement_": "placement",
    "request_": "request",
    "match_propose": "request",
    "match_": "match",
    "organisation_": "organisation",
    "recruitment_": "recruitment_contact",
    "invitation_": "invitation",
    "training_request_": "training_request",
    "erasure_": "erasure_request",
}
# Form pages that must be found, so the walk cannot pass by finding none.
KNOWN_FORM_PAGES = {
    "expert_create",
    "expert_edit",
    "expert_import",
    "expert_import_mapping",
    "consent_create",
    "consent_withdraw",
    "organisation_create",
    "organisation_edit",
    "recruitment_create",
    "recruitment_edit",
    "placement_create",
    "placement_edit",
    "placement_end",
    "request_create",
    "request_edit",
}
# Form pages that a step before them must open, and that step: a request to make first.
FIRST_STEP = {
    # The mapping step shows an uploaded file whose columns Samen cannot place by itself.
    "expert_import_mapping": lambda client: client.post(
        reverse("coordinator:expert_import"),
        {
            "file": SimpleUploadedFile(
                "eigen.csv", b"Naam;E-mailadres\r\nMila;mila@voorbeeld.nl\r\n"
            )
        },
    ),
}
CANCEL = re.compile(r"<(a|button)\b[^>]*>\s*Annuleren\s*</\1>")


def _coordinator_patterns() -> list[tuple[str, URLPattern]]:
    def walk(resolver: URLResolver):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern)
            elif pattern.name:
                yield pattern.name, pattern

    _prefix, resolver = get_resolver().namespace_dict["coordinator"]
    return sorted(walk(resolver), key=lambda item: item[0])


def _object_for(name: str) -> str:
    starts = [start for start in OBJECT_FOR if name.startswith(start)]
    assert starts, f"say in OBJECT_FOR which object {name} needs"
    return OBJECT_FOR[max(starts, key=len)]


@pytest.fixture
def seeded(coordinator) -> dict:
    expert = ExpertFactory()
    consent = ConsentFactory(expert=expert, purpose="photos")
    consent.scan.save("scan.pdf", ContentFile(b"%PDF-1.7\n"))
    request = RequestFactory()
    return {
        "expert": expert,
        "consent": consent,
        "network": LearningNetworkFactory(),
        "placement": PlacementFactory(expert=expert, status="active"),
        "request": request,
        "match": MatchFactory(request=request, status=MatchStatus.PROPOSED),
        "organisation": OrganisationFactory(),
        "recruitment_contact": RecruitmentContactFactory(date=timezone.localdate()),
        "activity_log": ActivityLogFactory(expert=expert),
        "invitation": Invitation.objects.create(
            expert=expert,
            email=expert.email,
            expires_at=timezone.now() + datetime.timedelta(days=14),
        ),
        "training_request": TrainingRequest.objects.create(expert=expert, wish="Presenteren"),
        "erasure_request": ErasureRequest.objects.create(expert=expert),
    }


def test_every_form_page_of_the_coordinators_door_has_a_cancel_link(coordinator_client, seeded):
    form_pages, missing = set(), []
    for name, pattern in _coordinator_patterns():
        kwargs = {}
        if "pk" in pattern.pattern.regex.groupindex:
            kwargs["pk"] = seeded[_object_for(name)].pk
        url = reverse(f"coordinator:{name}", kwargs=kwargs)
        refused = coordinator_client.put(url)
        allowed = {method.strip() for method in refused.get("Allow", "").split(",")}
        if refused.status_code != 405 or not {"GET", "POST"} <= allowed:
            continue
        form_pages.add(name)
        if name in FIRST_STEP:
            FIRST_STEP[name](coordinator_client)
        page = coordinator_client.get(url, HTTP_ACCEPT_LANGUAGE="nl")
        assert page.status_code == 200, (name, page.status_code)
        body = page.content.decode()
        assert "<form" in body, name
        if not CANCEL.search(body):
            missing.append(name)

    assert form_pages >= KNOWN_FORM_PAGES, KNOWN_FORM_PAGES - form_pages
    assert not missing, f"form pages without “Annuleren”: {missing}"
