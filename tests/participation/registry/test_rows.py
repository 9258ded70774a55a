"""The expert list's rows (written in Python for speed): every value escaped, each column
right, in the visitor's language."""

import datetime

from django.urls import reverse
from django.utils import translation

from experts.models import Expertise, ExpertKind, ExpertStatus
from participation.models import PlacementStatus
from participation.registry.rows import expert_rows
from participation.registry.selectors import add_open_networks
from tests.factories import ExpertFactory, LearningNetworkFactory, PlacementFactory


def test_rows_escape_every_value_and_link_each_expert(db):
    expert = ExpertFactory(
        first_name="<b>Bo</b>",
        last_name="&",
        city='"Leiden"',
        kind=ExpertKind.PARENT,
        expertise=Expertise.KNOWLEDGE,
        status=ExpertStatus.PAUSED,
        paused_until=datetime.date(2026, 3, 5),
        availability_hours_per_month=8,
    )
    PlacementFactory(expert=expert, network=LearningNetworkFactory(name="Zorg <i>nu</i>"))
    PlacementFactory(expert=expert, network=LearningNetworkFactory(name="Alfa"))
    PlacementFactory(
        expert=expert,
        network=LearningNetworkFactory(name="Voorbij"),
        status=PlacementStatus.ENDED,
        ends_on=datetime.date(2025, 6, 1),
    )
    expert.hours_this_month = 9.5
    expert.over_load = True
    experts = [expert]
    add_open_networks(experts)
    with translation.override("nl"):
        html = str(expert_rows(experts))
    assert "<b>" not in html and "<i>" not in html
    assert "&lt;b&gt;Bo&lt;/b&gt; &amp;" in html
    assert "&quot;Leiden&quot;" in html
    assert f'<a href="{reverse("coordinator:expert_detail", args=[expert.pk])}">' in html
    assert "Alfa, Zorg &lt;i&gt;nu&lt;/i&gt;" in html  # open placements only, in name order
    assert "Voorbij" not in html
    assert "9,5 van 8" in html
    assert "text-bg-warning" in html
    assert "Ouder" in html or "ouder" in html
    assert "5 maart 2026" in html


def test_rows_say_when_no_expert_matches(db):
    with translation.override("en"):
        assert "No experts match these filters." in str(expert_rows([]))


def test_an_expert_without_networks_says_none(db):
    expert = ExpertFactory(status=ExpertStatus.ACTIVE, paused_until=None)
    expert.hours_this_month = 0
    expert.over_load = False
    add_open_networks([expert])
    with translation.override("en"):
        html = str(expert_rows([expert]))
    assert '<span class="text-body-secondary">none</span>' in html
    assert "text-bg-warning" not in html
    assert "break until" not in html
