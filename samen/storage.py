"""Static file storages that work out each file's URL once per process, and the private
storage for files that must never have a public URL.

``{% static %}`` asks the storage for a URL on every page: base.html alone asks for five. With
the manifest (production) each answer cleans the name, splits and rebuilds it, looks it up in
the manifest and joins it to STATIC_URL. The answer depends only on the name, the collected
files and DEBUG; the manifest is read once when the process starts, so a URL worked out once
stays right until the process is restarted after the next collectstatic.
"""

import os

from django.conf import settings
from django.contrib.staticfiles.storage import StaticFilesStorage
from django.core.files.storage import FileSystemStorage, Storage, storages
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


class PrivateStorage(FileSystemStorage):
    """Files with personal data (scans of signed consents): kept outside MEDIA_ROOT, in
    ``SAMEN_PRIVATE_MEDIA_ROOT``, and without a URL. Only a view that checks who asks serves
    them (``experts.consents.views.consent_scan``).

    The folder is read from the settings on each use, not when the storage is made: the model
    field makes it when the models are imported."""

    def __init__(self) -> None:
        super().__init__(location=None, base_url=None)

    @property
    def base_location(self) -> str:
        return str(settings.SAMEN_PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL; a view that checks access serves them.")


def private_storage() -> Storage:
    """The storage for private files (``STORAGES["private"]``), for ``FileField(storage=...)``."""
    return storages["private"]
