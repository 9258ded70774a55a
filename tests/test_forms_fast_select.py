"""FastSelect writes the same select as Django's own widget, escaped."""

import re

import pytest
from django import forms

from samen.forms import FastSelect

CHOICES = [
    ("", "Alle"),
    ("1", 'A&B "quoted"'),
    ("Gr<oep", [("2", "x<y"), ("3", "z")]),
]


def _normal(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.parametrize("value", ["", "1", "2", None, "9"])
def test_fast_select_writes_what_djangos_select_writes(value):
    attrs = {"class": "form-select", "id": "id_network"}
    django = forms.Select(choices=CHOICES, attrs=attrs).render("network", value)
    fast = FastSelect(choices=CHOICES, attrs=attrs).render("network", value)
    assert _normal(fast) == _normal(django)


def test_fast_select_escapes_labels_values_and_groups():
    html = FastSelect(choices=[('"><script>', "<b>x</b>")]).render("n", None)
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
