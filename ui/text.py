"""Explanation texts kept in ``assets/text/<lang>/<page>.md``, one file per page and language.

A file is markdown split by level-2 headings (``## intuition``,
``## notice``...). Under ``## notice`` the level-3 headings name presets
(``### tiny``) and hold the "what to notice" caption for that preset on that
page. The heading names are keys and stay English in every language; the text
under them is translated.

Why markdown files rather than catalog entries: these are paragraphs of
prose with emphasis and formulas, and a teacher or translator edits them best
as markdown, one page at a time, side by side with the English file. Short
texts (labels, captions, messages) live in the catalogs (``assets/i18n``).

A section missing in a language falls back to the English one, logged once
(``tests/test_i18n.py`` checks that both languages have the same sections).
"""

from __future__ import annotations

import functools
import logging
import re
from pathlib import Path

from . import i18n

TEXT_DIR = Path(__file__).resolve().parent.parent / "assets" / "text"

_log = logging.getLogger(__name__)
_reported: set[tuple[str, str, str]] = set()


def _split(body: str, level: str) -> dict[str, str]:
    """``{heading: text}`` for the headings of exactly ``level`` (``##`` or ``###``)."""
    out: dict[str, str] = {}
    current = None
    pattern = re.compile(rf"^{level}\s+(.+?)\s*$")
    for line in body.splitlines():
        m = pattern.match(line)
        if m:
            current = m.group(1).strip().lower()
            out[current] = ""
        elif current is not None:
            out[current] += line + "\n"
    return {k: v.strip() for k, v in out.items()}


@functools.lru_cache(maxsize=64)
def load(page: str, lang: str) -> dict:
    """``{"sections": {name: text}, "notice": {preset: text}}`` of one page in one language."""
    path = TEXT_DIR / lang / f"{page}.md"
    if not path.exists():
        return {"sections": {}, "notice": {}}
    sections = _split(path.read_text(encoding="utf-8"), "##")
    return {"sections": sections, "notice": _split(sections.get("notice", ""), "###")}


def _lookup(page: str, part: str, name: str) -> str | None:
    lang = i18n.current()
    found = load(page, lang)[part].get(name)
    if found is None and lang != i18n.DEFAULT:
        found = load(page, i18n.DEFAULT)[part].get(name)
        if found is not None and (lang, page, name) not in _reported:
            _reported.add((lang, page, name))
            _log.warning("text: %s/%s '%s' missing in %r, English used", page, part, name, lang)
    return found


def section(page: str, name: str, default: str = "") -> str:
    """One section of a page's text (``intuition``, ``formula``, ...)."""
    found = _lookup(page, "sections", name.lower())
    return default if found is None else found


def notice(page: str, preset: str | None) -> str | None:
    """The page's own "what to notice" caption for a preset, if it has one."""
    if not preset:
        return None
    return _lookup(page, "notice", preset.lower())
