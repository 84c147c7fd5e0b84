"""Every text a learner reads, in English and Korean, through one small helper.

The texts live in one catalog per language, ``assets/i18n/<lang>.toml``: a
translator edits those files, never Python. Keys are dotted paths
(``[compare.values]`` / ``title = "..."`` is ``compare.values.title``); values
may hold ``{placeholders}`` that :func:`t` fills in with ``str.format`` rules
(``{value:.4f}`` works). Code, formulas, parameter names and paper titles stay
out of the catalogs.

Which language a page speaks, in order: the language chosen on this page
(kept in the session), the link's ``?lang=``, the browser's language
(``st.context.locale``), English. A text missing in Korean falls back to
English and is logged once; a key no catalog has shows the key itself (and is
logged), never a traceback. ``tests/test_i18n.py`` keeps the catalogs' keys and
placeholders identical and checks that every key the code asks for exists.

Numbers are formatted in code and passed in as text (``t("x", value=f"{v:.4f}")``),
so they read the same in every language; the catalogs hold no format specs.

Code that must not know the session's language (pure functions, cached results)
returns a :class:`Message`: a key and its values, shown with :func:`render` in
whatever language the page speaks when it is drawn. The words of the registry
(loss titles, summaries, parameter labels and help) are read with
:func:`loss_text` and :func:`param_text`.
"""

from __future__ import annotations

import functools
import logging
import string
import tomllib
from pathlib import Path

CATALOG_DIR = Path(__file__).resolve().parent.parent / "assets" / "i18n"
LANGUAGES = {"en": "English", "ko": "한국어"}
DEFAULT = "en"
_STATE = "_segloss_lang"

_log = logging.getLogger(__name__)
_reported: set[tuple[str, str]] = set()


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            out.update(_flatten(value, key + "."))
        else:
            out[key] = str(value)
    return out


@functools.cache
def catalog(lang: str) -> dict[str, str]:
    """All texts of one language, ``{dotted key: text}`` (read once per process)."""
    path = CATALOG_DIR / f"{lang}.toml"
    with path.open("rb") as f:
        return _flatten(tomllib.load(f))


def placeholders(text: str) -> set[str]:
    """The names of the ``{placeholders}`` in a catalog text."""
    return {
        name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name
    }


def _report_once(lang: str, key: str, what: str) -> None:
    if (lang, key) not in _reported:
        _reported.add((lang, key))
        _log.warning("i18n: %s for %r in %r", what, key, lang)


def reported() -> list[tuple[str, str]]:
    """Every (language, key) that fell back, was unknown or did not fit its values."""
    return sorted(_reported)


def text(key: str, lang: str, **values) -> str:
    """The text of ``key`` in ``lang`` with ``values`` filled in (no Streamlit needed)."""
    raw = catalog(lang).get(key)
    if raw is None and lang != DEFAULT:
        _report_once(lang, key, "missing translation, English used")
        raw = catalog(DEFAULT).get(key)
    if raw is None:
        _report_once(lang, key, "unknown key")
        return key
    if not values:
        return raw
    try:
        return raw.format(**values)
    except (KeyError, IndexError, ValueError) as exc:
        _report_once(lang, key, f"placeholders do not fit ({exc})")
        return raw


def _from_locale(locale: str | None) -> str | None:
    if not locale:
        return None
    code = str(locale).split("-")[0].split("_")[0].lower()
    return code if code in LANGUAGES else None


def current() -> str:
    """This session's language: chosen here, else the link's, else the browser's, else English."""
    import streamlit as st
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if get_script_run_ctx(suppress_warning=True) is None:  # plain Python: tests, scripts
        return DEFAULT
    chosen = st.session_state.get(_STATE)
    if chosen in LANGUAGES:
        return chosen
    lang = st.query_params.get("lang")
    if lang not in LANGUAGES:
        try:
            lang = _from_locale(st.context.locale)
        except Exception:  # noqa: BLE001 - no browser context (tests, bare mode)
            lang = None
    lang = lang if lang in LANGUAGES else DEFAULT
    st.session_state[_STATE] = lang
    return lang


def t(key: str, **values) -> str:
    """The text of ``key`` in this session's language, with ``values`` filled in."""
    return text(key, current(), **values)


class Message(str):
    """A catalog text kept as its key and values, to be shown in any language later.

    As a ``str`` it is the English text (logs, exceptions, tests); :func:`render`
    shows it in the session's language. A value may be a Message itself (a role
    name inside an upload note, say): it is shown in the same language.
    """

    key: str
    values: dict

    def __new__(cls, key: str, **values):
        self = super().__new__(cls, _fill(key, DEFAULT, values))
        self.key, self.values = key, values
        return self

    def in_language(self, lang: str) -> str:
        return _fill(self.key, lang, self.values)

    def __reduce__(self):  # copies and pickles keep the key and values, not just the text
        return (_message, (self.key, self.values))


def _message(key: str, values: dict) -> Message:
    return Message(key, **values)


def _fill(key: str, lang: str, values: dict) -> str:
    shown = {k: v.in_language(lang) if isinstance(v, Message) else v for k, v in values.items()}
    return text(key, lang, **shown)


def render(value) -> str:
    """A :class:`Message` in this session's language; any other value as ``str``."""
    if isinstance(value, Message):
        return value.in_language(current())
    return str(value)


def formatter(pattern: str):
    """A widget's ``format_func``: option -> the text of key ``pattern.format(option)``.

    The language is fixed when the widget is built: Streamlit (and AppTest) may call
    the function again after the script run, where no session is at hand.
    """
    lang = current()
    return lambda option: text(pattern.format(option), lang)


def loss_text(loss: str, field: str) -> str:
    """A loss's own words from the catalogs: ``field`` is "title" or "summary"."""
    return t(f"losses.{loss}.{field}")


def param_text(loss: str, name: str, field: str) -> str:
    """A parameter's words from the catalogs: ``field`` is "label" or "help"."""
    return t(f"params.{loss}.{name}.{field}")


#: Korean wraps between words (spaces), never inside one: browsers otherwise treat Hangul
#: like Chinese and break a word anywhere ("움직이" / "는"). Long code may still wrap.
_KOREAN_LINE_BREAKS = """
<style>
.stApp { word-break: keep-all; overflow-wrap: break-word; }
</style>
"""


def line_breaks() -> None:
    """Add the style that keeps Korean words whole across line ends (Korean pages only)."""
    import streamlit as st

    if current() == "ko":
        st.html(_KOREAN_LINE_BREAKS)


def _on_change() -> None:
    import streamlit as st

    chosen = st.session_state.get(_STATE + ":control")
    if chosen in LANGUAGES:
        st.session_state[_STATE] = chosen


def language_control() -> None:
    """The language switch every page shows (top right); it also keeps ``?lang=`` in the link.

    Switching reruns the page in the other language; masks, parameters and the
    open view live in the session and are untouched.
    """
    import streamlit as st

    lang = current()
    key = _STATE + ":control"
    st.session_state[key] = lang
    st.segmented_control(
        "Language / 언어",
        list(LANGUAGES),
        format_func=LANGUAGES.get,
        default=lang,  # as well as the state: see ui.runtime.params.bound
        key=key,
        on_change=_on_change,
        required=True,
        label_visibility="collapsed",
    )
    if st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang
