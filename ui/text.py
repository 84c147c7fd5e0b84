"""Explanation texts kept in assets/text/<page>.md, one file per page.

A file is markdown split by level-2 headings (``## intuition``,
``## notice``...). Under ``## notice`` the level-3 headings name presets
(``### tiny``) and hold the "what to notice" caption for that preset on that
page. Keeping the words out of the code lets a teacher edit them freely.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

TEXT_DIR = Path(__file__).resolve().parent.parent / "assets" / "text"


@functools.lru_cache(maxsize=64)
def _load(page: str) -> dict:
    path = TEXT_DIR / f"{page}.md"
    if not path.exists():
        return {"sections": {}, "notice": {}}
    sections: dict[str, str] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^##\s+(.+?)\s*$", line)
        if m and not line.startswith("###"):
            current = m.group(1).strip().lower()
            sections[current] = ""
            continue
        if current is not None:
            sections[current] += line + "\n"
    notice: dict[str, str] = {}
    body = sections.get("notice", "")
    key = None
    for line in body.splitlines():
        m = re.match(r"^###\s+(.+?)\s*$", line)
        if m:
            key = m.group(1).strip().lower()
            notice[key] = ""
        elif key is not None:
            notice[key] += line + "\n"
    return {
        "sections": {k: v.strip() for k, v in sections.items()},
        "notice": {k: v.strip() for k, v in notice.items()},
    }


def section(page: str, name: str, default: str = "") -> str:
    """One section of a page's text (``intuition``, ``formula``, ...)."""
    return _load(page)["sections"].get(name.lower(), default)


def notice(page: str, preset: str | None) -> str | None:
    """The page's own "what to notice" caption for a preset, if it has one."""
    if not preset:
        return None
    return _load(page)["notice"].get(preset.lower())
