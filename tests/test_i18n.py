"""The language catalogs: the same keys and placeholders in every language, no empty entry,
every key the code asks for present, and a missing text that falls back instead of failing."""

from __future__ import annotations

import ast
import logging
import re
from pathlib import Path

import pytest

from ui import i18n

ROOT = Path(__file__).resolve().parent.parent
OTHERS = [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT]
HANGUL = re.compile("[\uac00-\ud7a3]")


def test_every_language_has_the_same_keys():
    english = set(i18n.catalog(i18n.DEFAULT))
    for lang in OTHERS:
        other = set(i18n.catalog(lang))
        assert not english - other, (lang, "missing", sorted(english - other)[:20])
        assert not other - english, (lang, "extra", sorted(other - english)[:20])


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_no_entry_is_empty(lang):
    empty = [k for k, v in i18n.catalog(lang).items() if not v.strip()]
    assert not empty, empty[:20]


def test_placeholders_are_the_same_in_every_language():
    english = i18n.catalog(i18n.DEFAULT)
    for lang in OTHERS:
        other = i18n.catalog(lang)
        for key, text in english.items():
            if key in other:
                assert i18n.placeholders(text) == i18n.placeholders(other[key]), (lang, key)


def test_korean_entries_are_written_in_korean():
    """Every Korean entry that has words has Hangul (names and formulas may stay as they are)."""
    untranslated = []
    for key, text in i18n.catalog("ko").items():
        words = re.findall(r"[A-Za-z]{3,}", re.sub(r"\{[^}]*\}|`[^`]*`|\$[^$]*\$", "", text))
        if len(words) >= 4 and not HANGUL.search(text):
            untranslated.append(key)
    assert not untranslated, untranslated[:20]


def _literal_keys() -> set[tuple[str, str]]:
    """(file, key) for every t("...") / i18n.t("...") / i18n.text("...", ...) with a literal key."""
    found = set()
    files = [
        ROOT / "app.py",
        *sorted((ROOT / "ui").rglob("*.py")),
        *sorted((ROOT / "pages").rglob("*.py")),
    ]
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            f = node.func
            name = (
                f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            )
            first = node.args[0]
            if (
                name in ("t", "text")
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                found.add((str(path.relative_to(ROOT)), first.value))
    return found


def test_every_key_the_code_asks_for_exists():
    english = i18n.catalog(i18n.DEFAULT)
    keys = _literal_keys()
    assert len(keys) >= 8, "the scan found almost no keys: is the pattern still right?"
    missing = sorted((f, k) for f, k in keys if k not in english)
    assert not missing, missing[:20]


def test_a_missing_translation_falls_back_to_english_and_is_logged_once(caplog, monkeypatch):
    english = dict(i18n.catalog("en"))
    korean = dict(i18n.catalog("ko"))
    key = next(iter(english))
    del korean[key]
    monkeypatch.setattr(i18n, "catalog", lambda lang: korean if lang == "ko" else english)
    monkeypatch.setattr(i18n, "_reported", set())
    with caplog.at_level(logging.WARNING, logger="ui.i18n"):
        assert i18n.text(key, "ko") == english[key]
        assert i18n.text(key, "ko") == english[key]
    assert sum("missing translation" in r.getMessage() for r in caplog.records) == 1


def test_an_unknown_key_or_bad_values_never_raise(monkeypatch):
    monkeypatch.setattr(i18n, "_reported", set())
    assert i18n.text("no.such.key", "ko") == "no.such.key"
    key = next(k for k, v in i18n.catalog("en").items() if not i18n.placeholders(v))
    assert i18n.text(key, "en", unused=1) == i18n.catalog("en")[key]


def test_the_browser_language_decides_the_first_visit():
    assert i18n._from_locale("ko-KR") == "ko"
    assert i18n._from_locale("en-GB") == "en"
    assert i18n._from_locale("fr-FR") is None
    assert i18n._from_locale(None) is None
