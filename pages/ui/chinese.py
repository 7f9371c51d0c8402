"""Chinese throughout (issue 11 §6). Streamlit 1.67 has no locale setting and its own texts are
English: the uploader's 「Upload」 and 「50MB per file」, the table toolbar's 「Download as CSV」,
「Choose an option」, Plotly's modebar. What the product can set it sets in Chinese (labels,
help, placeholders, the font in .streamlit/config.toml); the rest is replaced in the browser
by zh_cn.js, from the table in zh_cn.json, wherever and whenever Streamlit writes it (tooltips and
menus appear only on hover or click). CSS `::after` patches on data-testids would cover only
the elements named, and break silently when Streamlit renames one; a text the table misses
stays visible and the browser test names it."""
from __future__ import annotations

import json
from pathlib import Path

SCRIPT = Path(__file__).with_name("zh_cn.js")

# Streamlit's and Plotly's English texts, as they appear, and their Chinese ("exact"); texts
# with a part of their own (a label, a size) as a regular expression and its Chinese
# ("patterns"). Kept as data: English words such as "Select all" are not code.
TEXTS = json.loads(SCRIPT.with_suffix(".json").read_text(encoding="utf-8"))


def script() -> str:
    """zh_cn.js with the table filled in (pages/ui/browser.py reads it once per process)."""
    return (SCRIPT.read_text(encoding="utf-8")
            .replace("__EXACT__", json.dumps(TEXTS["exact"], ensure_ascii=False))
            .replace("__PATTERNS__", json.dumps(TEXTS["patterns"], ensure_ascii=False)))
