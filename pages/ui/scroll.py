"""A container that scrolls sideways on a narrow screen instead of squeezing what it holds, for
wide figures such as the status heat map on a phone (Plotly shrinks a chart to its parent, so the
chart gets a minimum width and its container a scroll bar)."""
from __future__ import annotations

import streamlit as st


def sideways(key: str, min_width: int):
    """A keyed container whose charts are at least `min_width` pixels wide; on screens narrower
    than that it scrolls horizontally. Relies on Streamlit's st-key-<key> class (pinned
    version)."""
    st.html(f"<style>.st-key-{key} {{overflow-x: auto;}} "
            f".st-key-{key} [data-testid='stElementContainer'] {{min-width: {int(min_width)}px;}}"
            "</style>")
    return st.container(key=key)
