"""What a page shows in words, read from an AppTest run, and checks that it reads as Korean.

:func:`visible_texts` gathers the texts a learner reads: titles and headers, markdown,
captions, alerts, metric labels, widget labels and options, expander labels, page links
and, for every plotly chart, its title, axis titles, legend names, annotations and colour
bar titles. Code blocks and formulas are not texts (they stay the same in every language).

:func:`english_runs` finds English sentences left in a Korean text: four or more English
words in a row, once code spans, formulas, links, references, identifiers and the names a
Korean text keeps in Latin letters (loss names, parameter names, TP / FP / FN, library
names, authors) are set aside. :func:`lacks_hangul` says whether a text that has words has
no Hangul at all.
"""

from __future__ import annotations

import json
import re

HANGUL = re.compile("[\uac00-\ud7a3]")

#: Words a Korean text keeps in Latin letters: names of losses, parameters, quantities,
#: libraries, file formats and authors. Compared in lower case.
NAMES = {
    *"focal dice bce jaccard iou tversky combo bce-dice unified".split(),
    *"alpha beta gamma smooth ce_ratio class_balanced p_t".split(),
    *"tp fp fn tn ce wce dsc ti dl/dp dl/dti".split(),
    *"keras tensorflow pytorch kaggle numpy matplotlib plotly png svg jpeg faq".split(),
    *"lin salehi abraham khan taghanaki milletari rahman wang et al v-net u-net".split(),
    *"px mb float32 log exp mean max sum".split(),
}
_WORD = re.compile(r"^[A-Za-z][A-Za-z'-]*$")
_TRAIL = ",;:.!?)]*_\"'"
_LEAD = "([*_\"'"


def _strip(text: str, references: list[str]) -> str:
    """The text without what stays the same in every language."""
    s = str(text)
    for ref in sorted(references, key=len, reverse=True):
        s = s.replace(ref, " | ")
    s = re.sub(r"```.*?```", " | ", s, flags=re.S)
    s = re.sub(r"`[^`]*`", " | ", s)
    s = re.sub(r"\$[^$]*\$", " | ", s)
    s = re.sub(r"<[^>]+>", " ", s)
    s = re.sub(r"\]\([^)]*\)", "] ", s)
    s = re.sub(r"https?://\S+", " | ", s)
    s = re.sub(r"%\{[^}]*\}", " | ", s)  # plotly hover placeholders
    return s


def _words(text: str):
    """Each whitespace-separated token as (is an English word, ends a phrase)."""
    for token in text.split():
        core = token.lstrip(_LEAD).rstrip(_TRAIL)
        ends = core != token.lstrip(_LEAD) and token[-1] in ",;:.!?)"
        english = bool(_WORD.match(core)) and core.lower() not in NAMES and len(core) > 1
        yield english, ends or not english


def english_runs(text: str, references: list[str] = ()) -> list[str]:
    """Runs of four or more English words in a row (an untranslated sentence)."""
    runs, current = [], []
    stripped = _strip(text, list(references))
    for token, (english, ends) in zip(stripped.split(), _words(stripped), strict=True):
        if english:
            current.append(token)
        if not english or ends:
            if len(current) >= 4:
                runs.append(" ".join(current))
            current = []
    if len(current) >= 4:
        runs.append(" ".join(current))
    return runs


def lacks_hangul(text: str, references: list[str] = ()) -> bool:
    """True when the text has English words (beyond names) but no Hangul."""
    stripped = _strip(text, list(references))
    has_words = any(english for english, _ in _words(stripped))
    return has_words and not HANGUL.search(stripped)


def _chart_texts(spec: dict) -> list[str]:
    layout = spec.get("layout", {})
    out = []

    def title_of(obj):
        title = (obj or {}).get("title")
        if isinstance(title, dict):
            title = title.get("text")
        if title:
            out.append(str(title))

    title_of(layout)
    for name, value in layout.items():
        if name.startswith(("xaxis", "yaxis")):
            title_of(value)
    for ann in layout.get("annotations", []):
        if ann.get("text"):
            out.append(str(ann["text"]))
    for trace in spec.get("data", []):
        if trace.get("name") and trace.get("showlegend", True):
            out.append(str(trace["name"]))
        title_of(trace.get("colorbar"))
        for label in trace.get("text") or []:
            if isinstance(label, str):
                out.append(label)
        if isinstance(trace.get("y"), list) and trace.get("orientation") == "h":
            out += [y for y in trace["y"] if isinstance(y, str)]
        if isinstance(trace.get("x"), list) and trace.get("type") in ("bar", "waterfall"):
            out += [x for x in trace["x"] if isinstance(x, str)]
    return out


#: Widgets whose words are not the page's (the language switch names both languages).
SKIP_KEYS = ("_segloss_lang:control",)


def visible_texts(at) -> list[tuple[str, str]]:
    """(kind, text) for every text a learner reads on the page an AppTest has run."""
    out: list[tuple[str, str]] = []
    for kind in ("title", "header", "subheader", "markdown", "caption"):
        out += [(kind, e.value) for e in getattr(at, kind)]
    for kind in ("info", "warning", "success", "error"):
        out += [(kind, e.value) for e in getattr(at, kind)]
    out += [("metric", m.label) for m in at.metric]
    for kind in ("slider", "select_slider", "button", "checkbox", "selectbox", "radio"):
        for w in getattr(at, kind):
            if w.key in SKIP_KEYS:
                continue
            out.append((kind, w.label))
            if getattr(w, "help", None):
                out.append((kind + " help", w.help))
            out += [(kind + " option", str(o)) for o in getattr(w, "options", [])]
    for w in at.segmented_control:
        if w.key in SKIP_KEYS:
            continue
        out.append(("segmented", w.label))
        out += [("segmented option", str(o)) for o in w.options]
    out += [("expander", e.label) for e in at.expander]
    for kind in ("page_link", "download_button"):
        out += [(kind, e.proto.label) for e in at.get(kind)]
    for chart in at.get("plotly_chart"):
        out += [("chart", s) for s in _chart_texts(json.loads(chart.proto.spec))]
    return [(k, v) for k, v in out if v and str(v).strip()]
