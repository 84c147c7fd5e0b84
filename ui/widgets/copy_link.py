"""The "Copy link" button: puts the page's address, which holds the whole board, on the clipboard.

A Streamlit components-v2 component with inline HTML and JavaScript (no build step,
no network). The address bar is kept current by the pages (:mod:`ui.runtime.links`),
so copying ``location.href`` at the moment of the click copies exactly what is on the
screen. Where the browser refuses the clipboard API (an insecure origin, an old
browser), a hidden text field and ``document.execCommand("copy")`` do it instead.
The button's words come from the catalog and are set as text, never as HTML.
"""

from __future__ import annotations

import functools

import streamlit as st

from ..i18n import t

_HTML = '<button type="button" class="copy-link"><span class="label"></span></button>'

_CSS = """
.copy-link {
  font: inherit; font-size: 0.875rem; line-height: 1.6; cursor: pointer;
  padding: 0.25rem 0.75rem; border-radius: 0.5rem; white-space: nowrap;
  border: 1px solid rgba(49, 51, 63, 0.2); background: transparent; color: inherit;
}
.copy-link:hover { border-color: #ff4b4b; color: #ff4b4b; }
.copy-link:focus-visible { outline: 2px solid #ff4b4b; outline-offset: 1px; }
.copy-link[data-state="done"] { border-color: #09ab3b; color: #09ab3b; }
"""

_JS = """
function fallbackCopy(text) {
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
  document.body.removeChild(area);
  return ok;
}

export default function ({ parentElement, data }) {
  const button = parentElement.querySelector("button.copy-link");
  const label = button.querySelector(".label");
  label.textContent = data.label;
  button.title = data.help;
  button.onclick = async () => {
    const href = window.location.href;
    let ok = false;
    try {
      await navigator.clipboard.writeText(href);
      ok = true;
    } catch (e) {
      ok = fallbackCopy(href);
    }
    button.dataset.copied = href;
    button.dataset.state = ok ? "done" : "failed";
    label.textContent = ok ? data.done : data.label;
    setTimeout(() => { label.textContent = data.label; button.dataset.state = ""; }, 2000);
  };
}
"""


@functools.cache
def _component():
    return st.components.v2.component("segloss_copy_link", html=_HTML, css=_CSS, js=_JS)


def copy_link_button() -> None:
    """The button, in this session's language."""
    _component()(
        key="_segloss_copy_link",
        width="content",
        data={"label": t("links.copy"), "done": t("links.copied"), "help": t("links.copy_help")},
    )
