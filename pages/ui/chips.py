"""Status chips: each status's label and count on its status colour, so the colour is never the
only cue. Streamlit's badges offer a fixed palette, hence a small piece of HTML."""
from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from metrics.evaluation import status
from metrics.wording import text_colour


def chip(label: str, colour: str, count: int | None = None) -> str:
    """One chip as HTML: 已达标 7, or just 已达标 without a count."""
    number = "" if count is None else f" <b>{count}</b>"
    return (f'<span style="display:inline-block;margin:0 6px 6px 0;padding:3px 10px;'
            f'border-radius:12px;background:{colour};color:{text_colour(colour)};'
            f'font-size:0.9rem;white-space:nowrap">{html.escape(label)}{number}</span>')


def status_chips(counts: pd.DataFrame) -> None:
    """A wrapping row of chips from midterm.status_counts (label, colour, count)."""
    st.markdown("".join(chip(label, colour, count) for label, colour, count in
                        zip(counts["label"], counts["colour"], counts["count"])),
                unsafe_allow_html=True)


def status_badge(code: str) -> str:
    """The chip of one status, without a count, as HTML."""
    return chip(status.LABELS[code], status.COLOURS[code])


def status_column(table: pd.DataFrame, column: str = "状态"):
    """The table with each status label as a one-item list, and the column's configuration that
    shows it as a label on its status colour. Streamlit draws the colours itself: a pandas
    Styler colouring the same cells cost 8 ms a 46-row table (0.5 ms this way), on every view.

    Returns (table, {column: its column configuration}), for st.dataframe's column_config."""
    shown = table.assign(**{column: [[label] if isinstance(label, str) else []
                                     for label in table[column]]})
    labelled = st.column_config.MultiselectColumn(
        column, options=[s.label for s in status.STATUSES],
        color=[s.colour for s in status.STATUSES], disabled=True)
    return shown, {column: labelled}
