"""Static storages that keep each file's URL once worked out (samen/storage.py)."""

import json

import pytest

from samen.storage import ManifestStaticStorage, StaticStorage


@pytest.fixture
def manifest_storage(tmp_path):
    manifest = {"version": "1.1", "hash": "x", "paths": {"css/samen.css": "css/samen.1a2b.css"}}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return ManifestStaticStorage(location=tmp_path, base_url="/static/")


def test_static_urls_are_the_same_every_time_and_differ_per_file():
    storage = StaticStorage(location="/nowhere", base_url="/static/")

    assert storage.url("css/samen.css") == "/static/css/samen.css"
    assert storage.url("css/samen.css") == "/static/css/samen.css"
    assert storage.url("img/favicon.svg") == "/static/img/favicon.svg"


def test_manifest_storage_answers_the_hashed_name_every_time(manifest_storage, settings):
    settings.DEBUG = False

    assert manifest_storage.url("css/samen.css") == "/static/css/samen.1a2b.css"
    assert manifest_storage.url("css/samen.css") == "/static/css/samen.1a2b.css"


def test_manifest_storage_answers_the_plain_name_in_debug(manifest_storage, settings):
    settings.DEBUG = False
    manifest_storage.url("css/samen.css")
    settings.DEBUG = True

    assert manifest_storage.url("css/samen.css") == "/static/css/samen.css"
    assert manifest_storage.url("css/samen.css", force=True) == "/static/css/samen.1a2b.css"


def test_a_file_missing_from_the_manifest_is_refused_every_time(manifest_storage, settings):
    settings.DEBUG = False

    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            manifest_storage.url("css/gone.css")
