"""Static file storages that work out each file's URL once per process.

``{% static %}`` asks the storage for a URL on every page: base.html alone asks for five. With
the manifest (production) each answer cleans the name, splits and rebuilds it, looks it up in
the manifest and joins it to STATIC_URL. The answer depends only on the name, the collected
files and DEBUG; the manifest is read once when the process starts, so a URL worked out once
stays right until the process is restarted after the next collectstatic.
"""

from django.conf import settings
from django.contrib.staticfiles.storage import StaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class _URLPerName:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[tuple[str, bool], str] = {}

    def url(self, name, *args, **kwargs):
        if args or kwargs:  # url(name, force=True), rare: worked out every time
            return super().url(name, *args, **kwargs)
        # In DEBUG the manifest storage answers the unhashed name; tests may switch DEBUG.
        key = (name, settings.DEBUG)
        try:
            return self._urls[key]
        except KeyError:
            url = self._urls[key] = super().url(name)
            return url


class StaticStorage(_URLPerName, StaticFilesStorage):
    pass


class ManifestStaticStorage(_URLPerName, CompressedManifestStaticFilesStorage):
    pass
