"""The Dutch words follow the glossary in docs/domain.md: one word per thing, and never the words
in its table "Words not to use" (hulpvraag, jongere, ervaringsdeskundige for everyone, feedback).

The words are read from the document, so the glossary stays the one list: a word added there is
checked here. Checked are the Dutch catalogue and the text that templates write themselves.
"""

import re
from pathlib import Path

import pytest

from tests.test_translations import Entry, read_po

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = ROOT / "docs" / "domain.md"
CATALOGUE = ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.po"
TEMPLATE_FOLDERS = ["templates", "experts", "learning_networks", "participation", "evaluations"]

# The texts (English ids) where a trained expert by experience is meant, so "ervaringsdeskundige"
# is the right word. Keep it short: everywhere else a parent may be meant too.
TRAINED_EXPERT = {
    "Trained expert.",
    "Trained expertise needed",
    "%(name)s is not trained, and this request asks for trained expertise.",
    "Finishing this training makes someone a trained expert by experience.",
    # The name of the training, as the source documents give it.
    "Basic training for parents with lived experience",
}
TRAINED_WORDS = {"ervaringsdeskundige", "ervaringsdeskundigen"}


def words_not_to_use() -> list[str]:
    """The words in the first column of the table under "### Words not to use"."""
    text = DOMAIN.read_text(encoding="utf-8")
    section = text.split("### Words not to use", 1)[1].split("\n#", 1)[0]
    words = []
    for line in section.splitlines():
        if not line.startswith("|") or line.startswith("|---"):
            continue
        first_cell = line.split("|")[1]
        words += re.findall(r"`([^`]+)`", first_cell)
    return words


def _pattern(word: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)


def _allowed(entry: Entry, word: str) -> bool:
    english = f"{entry.msgid} {entry.msgid_plural or ''}"
    # A Dutch word in the English text too is a value people type, such as "jongere" in a
    # spreadsheet column, not a name the interface gives someone.
    if _pattern(word).search(english):
        return True
    return word.lower() in TRAINED_WORDS and entry.msgid in TRAINED_EXPERT


def _dutch(entry: Entry) -> list[str]:
    return [entry.msgstr[index] for index in sorted(entry.msgstr)]


def glossary_problems(entries: list[Entry], words: list[str]) -> list[str]:
    problems = []
    for entry in entries:
        for word in words:
            if _allowed(entry, word):
                continue
            for text in _dutch(entry):
                if _pattern(word).search(text):
                    problems.append(f"{entry}: {word!r} in {text!r}")
    return problems


def test_the_glossary_lists_the_words_not_to_use():
    words = words_not_to_use()
    for word in ("hulpvraag", "jongere", "jonge ervaringsdeskundige", "feedback"):
        assert word in words
    assert "ervaringsdeskundigen" in words


def test_the_dutch_catalogue_uses_none_of_the_words_not_to_use():
    problems = glossary_problems(read_po(CATALOGUE), words_not_to_use())
    assert not problems, (
        "These Dutch texts use a word that docs/domain.md says not to use (see the table "
        "'Words not to use' for what to write instead):\n" + "\n".join(problems)
    )


def test_the_check_finds_a_word_not_to_use_and_allows_the_exceptions():
    words = words_not_to_use()
    wrong = Entry(msgid="New request", msgstr={0: "Nieuwe hulpvraag"}, line=1)
    parents = Entry(msgid="Experts", msgstr={0: "Ervaringsdeskundigen"}, line=2)
    council = Entry(msgid="Youth council", msgstr={0: "Jongerenraad"}, line=3)
    value = Entry(msgid="Use ExpEx, jongere or ouder.", msgstr={0: "Gebruik jongere."}, line=4)
    trained = Entry(msgid="Trained expert.", msgstr={0: "Getraind ervaringsdeskundige."}, line=5)
    plural = Entry(
        msgid="%(n)s expert", msgid_plural="%(n)s experts", msgstr={0: "x", 1: "y feedback"}
    )
    problems = glossary_problems([wrong, parents, council, value, trained, plural], words)
    assert [p.split(":")[0] for p in problems] == ["line 1", "line 2", "line 0"]


# --- what a word alone cannot check -----------------------------------------------------------


def test_the_rankings_suggestions_are_never_called_proposed():
    """'Voorgesteld' means the coordinator proposed someone; the ranking only suggests."""
    wrong = [
        f"{entry}: {text!r}"
        for entry in read_po(CATALOGUE)
        if "suggest" in entry.msgid.lower()
        for text in _dutch(entry)
        if re.search(r"voorstel|voorgesteld", text, re.IGNORECASE)
    ]
    assert not wrong, "Say 'suggestie' for what the ranking suggests:\n" + "\n".join(wrong)


def test_the_way_of_paying_is_never_called_a_payment():
    """'Betaling' is one payment made; how someone is paid is the 'manier van betalen'."""
    entries = [
        e
        for e in read_po(CATALOGUE)
        if e.msgctxt == "way of paying" or "way of paying" in e.msgid.lower()
    ]
    assert entries, "The catalogue should name the way of paying."
    wrong = [f"{e}: {t!r}" for e in entries for t in _dutch(e) if "betaling" in t.lower()]
    assert not wrong, "\n".join(wrong)
    by_key = {e.key: e for e in read_po(CATALOGUE)}
    assert by_key[(None, "payment")].msgstr[0] == "betaling"
    assert by_key[("way of paying", "payment")].msgstr[0] == "manier van betalen"
    assert by_key[(None, "Way of paying")].msgstr[0] == "Manier van betalen"


# --- the text templates write themselves ------------------------------------------------------

_COMMENT = r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}"
_TAGS = re.compile(_COMMENT + r"|\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}|<[^>]*>", re.DOTALL)


def template_text(source: str) -> str:
    """What a template writes itself: without tags, variables, comments and HTML markup (so
    without CSS classes such as "invalid-feedback"). Translated text is checked in the
    catalogue."""
    return _TAGS.sub(" ", source)


def _templates() -> list[Path]:
    return [
        path
        for folder in TEMPLATE_FOLDERS
        for path in (ROOT / folder).rglob("*")
        if path.suffix in {".html", ".txt"} and "templates" in path.parts
    ]


def test_templates_write_none_of_the_words_not_to_use():
    paths = _templates()
    assert len(paths) > 30
    words = words_not_to_use()
    problems = [
        f"{path.relative_to(ROOT)}: {word!r}"
        for path in paths
        for word in words
        if _pattern(word).search(template_text(path.read_text(encoding="utf-8")))
    ]
    assert not problems, "\n".join(problems)


def test_template_text_leaves_out_markup_but_keeps_words():
    source = (
        '{% comment %}feedback{% endcomment %}<div class="invalid-feedback">'
        '{% translate "x" %} Nieuwe hulpvraag {{ feedback }}</div>'
    )
    assert "feedback" not in template_text(source)
    assert "hulpvraag" in template_text(source)


@pytest.mark.parametrize(
    ("english", "dutch"),
    [
        ("ExpEx and parents", "ExpEx en ouders"),
        ("Link an ExpEx or parent", "ExpEx of ouder koppelen"),
        ("Link an ExpEx or parent to this network", "ExpEx of ouder koppelen aan dit leernetwerk"),
        ("Expert by experience or parent", "ExpEx of ouder"),
        ("Request", "Vraag"),
        ("Suggested experts", "Suggesties"),
        ("Young person", "ExpEx"),
        ("ExpEx (young expert)", "ExpEx"),
        ("Experts by experience", "ExpEx"),
    ],
)
def test_the_main_labels_use_the_glossarys_words(english, dutch):
    entries = {e.key: e for e in read_po(CATALOGUE)}
    assert entries[(None, english)].msgstr[0] == dutch
