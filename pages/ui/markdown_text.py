"""Text that came from a user, shown inside a Markdown-rendering call as written.

st.error, st.info, st.caption, st.markdown, st.toast, status labels and every cell of st.table
render Markdown, so an indicator name, a cell, a file name, a note or a user name could bring a
link to an outside site into the app's own message, or an image that every viewer's browser
fetches. Each such piece is escaped where it is put into the message, never the whole message,
so the app's own bold and links still work. st.dataframe and st.data_editor show plain text.
"""
from __future__ import annotations

import html
import re

import pandas as pd

# Characters Markdown gives a meaning to ($ starts a formula; : starts Streamlit's :icon: and
# :colour[…] directives).
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:@])")
# Where the app's Markdown turns bare text into a link: http://, www. and e-mail addresses. It
# finds them in the text after escapes are resolved, so escaping cannot stop it; an invisible
# word joiner inside each (between : and //, www and ., after @) does; the text reads the same.
AUTOLINK_POINTS = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)
WORD_JOINER = "\u2060"


def literal(text: object) -> str:
    """Text shown as written, not as Markdown (「[点此](…)」, 「$x$」, 「![](…)」), and no
    address in it made a link."""
    unlinked = AUTOLINK_POINTS.sub(WORD_JOINER, str(text))
    return MARKDOWN_SPECIAL.sub(r"\\\1", unlinked)


def literal_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame for st.table: every text cell and heading shown as written."""
    def shown(value):
        return literal(value) if isinstance(value, str) else value
    return frame.map(shown).rename(columns=shown)


def quoted_list(lines: list[str]) -> str:
    """Texts quoted as written (the sources of values), as an HTML list for
    st.markdown(…, unsafe_allow_html=True): each escaped as HTML, its line breaks made spaces
    (a blank line would end the HTML and start Markdown), and the list marked translate="no" so
    that the page's Chinese replacements (zh_cn.js) leave a quotation alone."""
    items = "".join(f"<li>{html.escape(' '.join(line.split()))}</li>" for line in lines)
    return f'<ul translate="no">{items}</ul>'
