"""``{% memo %}`` renders its body once per key and language, and base.html keeps what differs per
request (CSRF tokens, the path to return to) outside it."""

import pytest
from django.template import Context, Engine
from django.test import Client
from django.urls import reverse
from django.utils import translation

from samen.accounts.templatetags import memo
from tests.factories import ExpertFactory

ENGINE = Engine(
    libraries={"memo": "samen.accounts.templatetags.memo"},
    builtins=["django.templatetags.i18n"],
)


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __str__(self) -> str:
        self.calls += 1
        return f"render {self.calls}"


def test_memo_renders_once_per_key_and_language():
    template = ENGINE.from_string("{% load memo %}{% memo key %}{{ counter }}{% endmemo %}")
    counter = Counter()
    with translation.override("nl"):
        assert template.render(Context({"key": "a", "counter": counter})) == "render 1"
        assert template.render(Context({"key": "a", "counter": counter})) == "render 1"
        assert template.render(Context({"key": "b", "counter": counter})) == "render 2"
    with translation.override("en"):
        assert template.render(Context({"key": "a", "counter": counter})) == "render 3"
    assert counter.calls == 3


def test_memo_is_bounded():
    template = ENGINE.from_string("{% load memo %}{% memo key %}{{ key }}{% endmemo %}")
    for i in range(memo.MAX_ENTRIES + 10):
        assert template.render(Context({"key": i})) == str(i)
    node = next(n for n in template.nodelist if isinstance(n, memo.MemoNode))
    assert len(node.rendered) == memo.MAX_ENTRIES


@pytest.mark.django_db
def test_the_menu_marks_the_section_of_the_page(coordinator_client: Client):
    expert = ExpertFactory()
    detail = coordinator_client.get(reverse("coordinator:expert_detail", args=[expert.pk]))
    experts_link = f'<a class="nav-link active" href="{reverse("coordinator:expert_list")}">'
    assert experts_link in detail.content.decode()
    dashboard = coordinator_client.get(reverse("coordinator:dashboard"))
    html = dashboard.content.decode()
    assert experts_link not in html
    assert f'href="{reverse("coordinator:dashboard")}" aria-current="page"' in html


@pytest.mark.django_db
def test_each_request_gets_its_own_csrf_token_and_return_path(coordinator_client: Client):
    url = reverse("coordinator:expert_list")
    first = coordinator_client.get(url + "?q=een").content.decode()
    second = coordinator_client.get(url + "?q=twee").content.decode()
    assert 'name="next" type="hidden" value="/coordinator/ervaringsdeskundigen/?q=een"' in first
    assert 'name="next" type="hidden" value="/coordinator/ervaringsdeskundigen/?q=twee"' in second
    token = 'name="csrfmiddlewaretoken" value="'
    assert first.split(token)[1][:64] != second.split(token)[1][:64]
