"""The language catalogs: the same keys and placeholders in every language, no empty entry,
every key the code asks for present, and a missing text that falls back instead of failing."""

from __future__ import annotations

import ast
import logging
import re
import string
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
                name in ("t", "text", "Message")
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


# --------------------------------------------------------------------------- numbers
@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_numbers_are_formatted_in_code_not_in_the_catalogs(lang):
    """No entry formats a number itself: code passes numbers as text, so they read the same
    in every language (a translator cannot turn 0.3872 into 0.39)."""
    formatted = [
        (key, field)
        for key, text in i18n.catalog(lang).items()
        for _, field, spec, conversion in string.Formatter().parse(text)
        if field is not None and (spec or conversion)
    ]
    assert not formatted, formatted[:20]


# --------------------------------------------------------------------------- dynamic keys
def _has(key: str) -> bool:
    return all(key in i18n.catalog(lang) for lang in i18n.LANGUAGES)


def test_every_loss_and_parameter_of_the_registry_has_its_words():
    from teaching.registry import ALL_SPECS

    missing = [f"losses.{k}.{f}" for k in ALL_SPECS for f in ("title", "summary")]
    missing += [
        f"params.{k}.{p.name}.{f}"
        for k, spec in ALL_SPECS.items()
        for p in spec.params
        for f in ("label", "help")
    ]
    missing = [k for k in missing if not _has(k)]
    assert not missing, missing
    # the English title is the registry's name of the loss (code and error messages use it)
    for key, spec in ALL_SPECS.items():
        assert i18n.text(f"losses.{key}.title", "en") == spec.title


def test_every_preset_scene_view_and_candidate_has_its_words():
    from teaching.candidates import CANDIDATE_NAMES
    from ui.masks import input as mask_input
    from ui.masks import presets
    from ui.sections import compare, loss_views

    keys = [
        f"masks.presets.{k}.{f}"
        for k in presets.preset_keys()
        for f in ("title", "description", "notice")
    ]
    keys += [f"masks.scenes.{s}" for s in mask_input.SCENES]
    keys += [f"masks.role.{r}" for r in mask_input.ROLES]
    keys += [f"views.tabs.{name}" for name, _ in loss_views.COMMON]
    keys += [f"views.tabs.{name}" for name in _page_view_keys()]
    keys += [
        f"compare.candidates.{compare.CANDIDATES[n]}.{f}"
        for n in CANDIDATE_NAMES
        for f in ("name", "description")
    ]
    missing = [k for k in keys if not _has(k)]
    assert not missing, missing
    assert len(keys) > 50


def _page_view_keys() -> set[str]:
    """The view keys the loss pages name: the first item of each (key, draw) pair."""
    found = set()
    for path in (ROOT / "pages").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Tuple) and len(node.elts) == 2:
                first, second = node.elts
                if isinstance(first, ast.Constant) and isinstance(second, ast.Attribute):
                    found.add(first.value)
    assert {"gamma_focus", "tversky_square", "combo_grid"} <= found, found
    return found


@pytest.fixture(scope="module")
def pitfall_items():
    from teaching import pitfalls

    return pitfalls.all_pitfalls() + pitfalls.all_faq()


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_every_pitfall_text_exists_and_takes_its_numbers(pitfall_items, lang, monkeypatch):
    monkeypatch.setattr(i18n, "_reported", set())
    for item in pitfall_items:
        for field, key in item["texts"].items():
            assert key in i18n.catalog(lang), (item["key"], field, key)
            shown = i18n.text(key, lang, **item["values"])
            assert "{" not in shown, (key, shown)
            # every number the entry needs is passed in: none is left unfilled
            assert i18n.placeholders(i18n.catalog(lang)[key]) <= set(item["values"]), key
            if lang == "ko":
                assert HANGUL.search(shown), key
    assert not i18n.reported()
    for item in pitfall_items:
        for attempt in item["details"].get("attempts", []):
            assert _has(f"pitfalls.attempts.{attempt['attempt']}")


# --------------------------------------------------------------------------- messages
def test_a_message_is_english_as_a_string_and_any_language_when_shown():
    role = i18n.Message("masks.role.true")
    msg = i18n.Message(
        "masks.upload.empty", label=i18n.Message("masks.upload.label", role=role, name="gt.png")
    )
    assert str(msg) == i18n.text("masks.upload.empty", "en", label="Ground truth 'gt.png'")
    assert "gt.png" in msg and "empty" in msg
    korean = msg.in_language("ko")
    assert HANGUL.search(korean) and "gt.png" in korean
    assert i18n.text("masks.role.true", "ko") in korean  # the nested role is Korean too
    import copy
    import pickle

    for again in (copy.deepcopy(msg), pickle.loads(pickle.dumps(msg))):
        assert again == msg and again.in_language("ko") == korean
    assert i18n.render("plain text") == "plain text"


def test_an_upload_error_carries_its_message():
    from ui.masks.imageio import UploadError, decode_upload

    with pytest.raises(UploadError) as err:
        decode_upload(b"", "x.png", "pred")
    assert isinstance(err.value.message, i18n.Message)
    assert str(err.value) == str(err.value.message)
    assert HANGUL.search(err.value.message.in_language("ko"))


def test_a_widget_formatter_keeps_the_language_it_was_made_in(monkeypatch):
    monkeypatch.setattr(i18n, "current", lambda: "ko")
    fmt = i18n.formatter("masks.section.tool_{}")
    monkeypatch.setattr(i18n, "current", lambda: "en")
    assert fmt("paint") == i18n.text("masks.section.tool_paint", "ko")


# --------------------------------------------------------------------------- explanation files
def test_the_explanation_files_have_the_same_sections_in_every_language():
    from ui import text

    english = sorted(p.name for p in (text.TEXT_DIR / i18n.DEFAULT).glob("*.md"))
    assert len(english) == 7
    for lang in OTHERS:
        assert sorted(p.name for p in (text.TEXT_DIR / lang).glob("*.md")) == english, lang
        for name in english:
            page = name[:-3]
            en, other = text.load(page, i18n.DEFAULT), text.load(page, lang)
            assert set(en["sections"]) == set(other["sections"]), (lang, page)
            assert set(en["notice"]) == set(other["notice"]), (lang, page)
            for part in ("sections", "notice"):
                for key, body in other[part].items():
                    assert body.strip() or key == "notice", (lang, page, key)
                    if lang == "ko" and key != "notice":
                        assert HANGUL.search(body), (page, key)


def test_a_missing_korean_section_falls_back_to_english_and_is_logged_once(monkeypatch, caplog):
    from ui import text

    real = text.load

    def without_intuition(page, lang):
        data = real(page, lang)
        if lang == "ko":
            data = {
                **data,
                "sections": {k: v for k, v in data["sections"].items() if k != "intuition"},
            }
        return data

    monkeypatch.setattr(text, "load", without_intuition)
    monkeypatch.setattr(text, "_reported", set())
    monkeypatch.setattr(i18n, "current", lambda: "ko")
    with caplog.at_level(logging.WARNING, logger="ui.text"):
        first = text.section("dice", "intuition")
        again = text.section("dice", "intuition")
    assert first == again == real("dice", "en")["sections"]["intuition"]
    assert text.section("dice", "formula") == real("dice", "ko")["sections"]["formula"]
    assert sum("missing" in r.getMessage() for r in caplog.records) == 1


# --------------------------------------------------------------------------- markdown
def _rendered_text(markdown_text: str) -> str:
    """The text a CommonMark renderer shows (Streamlit's follows the same emphasis rules)."""
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").render(markdown_text)
    return re.sub(r"<code>.*?</code>", "", html, flags=re.S)


def _worst_case(text: str) -> str:
    """The entry with every placeholder filled by a value that ends in punctuation ("12.5%").

    Bold that closes after punctuation and runs straight into a letter (``**12.5%**를``)
    is not bold in CommonMark: Korean particles after a number are the usual case.
    """
    return text.format(**{name: "12.5%" for name in i18n.placeholders(text)})


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_every_emphasis_renders_whatever_the_numbers(lang):
    broken = [
        key
        for key, text in i18n.catalog(lang).items()
        if "*" in text and "**" in _rendered_text(_worst_case(text))
    ]
    assert not broken, broken[:20]


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_every_emphasis_of_the_explanation_files_renders(lang):
    from ui import text

    broken = [
        (path.name, line)
        for path in sorted((text.TEXT_DIR / lang).glob("*.md"))
        for line in path.read_text(encoding="utf-8").split("\n\n")
        if "**" in _rendered_text(line)
    ]
    assert not broken, broken[:10]


def test_the_emphasis_check_can_fail():
    assert "**" in _rendered_text(_worst_case("손실의 **{share}**를 차지합니다"))
    assert "**" not in _rendered_text(_worst_case("손실의 **{share}를** 차지합니다"))
