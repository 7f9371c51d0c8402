"""The product's own scripts in the browser: Chinese for Streamlit's English texts and
lang="zh-CN" (chinese.py, zh_cn.js), and a history of pages for Back (history.js). Both are the
product's text; nothing a person wrote enters them."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from pages.ui import chinese

HISTORY = Path(__file__).with_name("history.js")
SCRIPTS = f"<script>{chinese.script()}\n{HISTORY.read_text(encoding='utf-8')}</script>"


def install() -> None:
    """Run the scripts in this tab, in an element of no height (each runs once per tab: it
    leaves itself a mark)."""
    st.html("<style>.st-key-browser_scripts{display:none}</style>")
    with st.container(key="browser_scripts"):
        st.html(SCRIPTS, unsafe_allow_javascript=True)
