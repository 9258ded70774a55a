"""The Dutch catalogue: complete, up to date with the code, valid for msgfmt, compiled, and used.

Samen speaks Dutch by default and English second; the code holds English message ids. A string
added to the code without a Dutch translation must fail here, with the ids to translate.
"""

import gettext
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
NL = ROOT / "locale" / "nl" / "LC_MESSAGES"
DOMAINS = ("django", "djangojs")
# The same folders `make makemessages` ignores (hidden folders are ignored by Django anyway).
IGNORED = ("node_modules", "staticfiles")
NOT_COPIED = {*IGNORED, "media", "__pycache__", "db.sqlite3"}
HOW_TO_FIX = (
    "Run `make makemessages`, write the Dutch msgstr for the new entries in "
    "locale/nl/LC_MESSAGES/{domain}.po (remove any '#, fuzzy' after checking), "
    "then `make messages`."
)


# --- A small .po reader -----------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    def __str__(self) -> str:
        context = f" (context {self.msgctxt!r})" if self.msgctxt else ""
        return f"line {self.line}: {self.msgid!r}{context}"


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"\s*$')


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file, without the header and without obsolete (#~) entries."""
    entries: list[Entry] = []
    entry, flags, target = None, set(), None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#") or not line:
            continue
        elif match := _KEYWORD.match(line):
            keyword, index, text = match.groups()
            if keyword in ("msgctxt", "msgid") and (entry is None or entry.msgstr):
                entry = Entry(flags=flags, line=number)
                flags = set()
                entries.append(entry)
            if keyword.startswith("msgstr"):
                target = ("msgstr", int(index or 0))
                entry.msgstr[target[1]] = _unquote(text)
            else:
                target = (keyword, None)
                setattr(entry, keyword, _unquote(text))
        elif line.startswith('"') and entry is not None and target is not None:
            text = _unquote(line[1:-1])
            if target[0] == "msgstr":
                entry.msgstr[target[1]] += text
            else:
                setattr(entry, target[0], getattr(entry, target[0]) + text)
    return [e for e in entries if e.msgid or e.msgctxt]


def _catalogue(domain: str) -> list[Entry]:
    path = NL / f"{domain}.po"
    return read_po(path) if path.exists() else []


# --- (a) complete -----------------------------------------------------------------------------


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_dutch_entry_is_translated_and_checked(domain):
    entries = _catalogue(domain)
    if domain == "django":
        assert len(entries) > 100, "The Dutch catalogue looks empty."
    empty = [str(e) for e in entries if not all(e.msgstr.values()) or not e.msgstr]
    fuzzy = [str(e) for e in entries if "fuzzy" in e.flags]
    assert not empty, f"Untranslated in locale/nl/LC_MESSAGES/{domain}.po:\n" + "\n".join(empty)
    assert not fuzzy, (
        f"Fuzzy (machine-guessed, not checked) in locale/nl/LC_MESSAGES/{domain}.po:\n"
        + "\n".join(fuzzy)
    )


@pytest.mark.parametrize("domain", DOMAINS)
def test_dutch_translations_keep_every_placeholder(domain):
    placeholder = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[a-z]|%[sd]")

    def names(text: str | None) -> set[str]:
        return set(placeholder.findall(text or ""))

    wrong = []
    for entry in _catalogue(domain):
        if not entry.msgid_plural:
            if names(entry.msgstr.get(0)) != names(entry.msgid):
                wrong.append(f"{entry}: {entry.msgstr.get(0)!r}")
            continue
        # A plural form may leave out the number ("one row"), but never invent a placeholder,
        # and the last (plural) form keeps them all.
        allowed = names(entry.msgid) | names(entry.msgid_plural)
        forms = [entry.msgstr[index] for index in sorted(entry.msgstr)]
        if any(not names(form) <= allowed for form in forms) or names(forms[-1]) != allowed:
            wrong.append(f"{entry}: {forms!r}")
    assert not wrong, "Placeholders differ from the English id:\n" + "\n".join(wrong)


def test_a_row_in_a_spreadsheet_is_a_rij():
    entries = {e.key: e for e in _catalogue("django")}
    assert entries[("spreadsheet row", "Row")].msgstr[0] == "Rij"
    assert entries[(None, "Row %(row)s: %(problem)s")].msgstr[0] == "Rij %(row)s: %(problem)s"


# --- (b) up to date with the code -------------------------------------------------------------


def _copy_source(target: Path) -> None:
    def ignore(folder: str, names: list[str]) -> set[str]:
        return {n for n in names if n in NOT_COPIED or n.startswith(".") or n.endswith(".mo")}

    shutil.copytree(ROOT, target, ignore=ignore)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[str, set[tuple[str | None, str]]]:
    """makemessages for nl on a copy of the source tree: the message ids the code holds now."""
    if not shutil.which("xgettext"):
        pytest.fail("GNU gettext (xgettext, msgfmt) is needed: apt-get install gettext")
    copy = tmp_path_factory.mktemp("source") / "samen"
    _copy_source(copy)
    ignores = [f"--ignore={name}" for name in (".venv", *IGNORED)]
    found = {}
    for domain in DOMAINS:
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-l", "nl", "-d", domain, *ignores],
            cwd=copy,
            check=True,
            capture_output=True,
            timeout=300,
        )
        po = copy / "locale" / "nl" / "LC_MESSAGES" / f"{domain}.po"
        found[domain] = {e.key for e in read_po(po)} if po.exists() else set()
    return found


def _describe(keys) -> str:
    return "\n".join(
        f"  {msgid!r}" + (f" (context {context!r})" if context else "")
        for context, msgid in sorted(keys, key=lambda k: (k[1], k[0] or ""))
    )


@pytest.mark.parametrize("domain", DOMAINS)
def test_dutch_catalogue_holds_exactly_the_strings_of_the_code(extracted, domain):
    committed = {e.key for e in _catalogue(domain)}
    in_code = extracted[domain]
    missing, stale = in_code - committed, committed - in_code
    message = []
    if missing:
        message.append(f"Strings in the code without a Dutch entry:\n{_describe(missing)}")
    if stale:
        message.append(f"Entries no longer in the code:\n{_describe(stale)}")
    assert not message, "\n".join([*message, HOW_TO_FIX.format(domain=domain)])


# --- (c) valid for msgfmt, and compiled -------------------------------------------------------


@pytest.mark.parametrize("domain", DOMAINS)
def test_msgfmt_check_passes_on_the_dutch_catalogue(domain, tmp_path):
    po = NL / f"{domain}.po"
    if not po.exists():
        pytest.skip(f"No {domain} strings in the code, so no {domain}.po.")
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "out.mo"), str(po)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_compiled_dutch_catalogue_matches_the_po_file():
    """A stale django.mo would show old Dutch (or English) while the .po looks right."""
    mo = NL / "django.mo"
    assert mo.exists(), "locale/nl/LC_MESSAGES/django.mo is missing: run `make messages`."
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    differences = []
    for entry in _catalogue("django"):
        msgid = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            got = compiled.ngettext(msgid, entry.msgid_plural, 1)
        else:
            got = compiled.gettext(msgid)
        if got != entry.msgstr.get(0):
            differences.append(str(entry))
    assert not differences, "django.mo is older than django.po: run `make messages`.\n" + (
        "\n".join(differences[:20])
    )


# --- (d) the pages speak Dutch, and English on request ---------------------------------------


def test_login_page_is_dutch(client):
    response = client.get(reverse("account_login"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Wachtwoord" in content
    assert "Inloggen" in content
    assert '<html lang="nl"' in content


def test_coordinator_dashboard_is_dutch_by_default(coordinator_client):
    response = coordinator_client.get(reverse("coordinator:dashboard"))
    assert response.status_code == 200
    assert "<h1" in response.content.decode()
    assert "Overzicht van de leernetwerken" in response.content.decode()


@pytest.fixture
def _back_to_dutch():
    """The locale middleware leaves the request's language active in this thread; later tests
    that translate outside a request expect the default again."""
    yield
    translation.deactivate()


@pytest.mark.usefixtures("_back_to_dutch")
def test_coordinator_dashboard_is_english_with_the_language_cookie(coordinator_client):
    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = coordinator_client.get(reverse("coordinator:dashboard"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Overview of the networks" in content
    assert "Overzicht van de leernetwerken" not in content
