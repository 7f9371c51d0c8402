"""How text written by people is compared with the catalogue: full-width to half-width (NFKC),
no spaces, lower case. Shared by region names, indicator names and upload headings."""
from __future__ import annotations

import re
import unicodedata

import pandas as pd


def normalise(text: str) -> str:
    """Canonical form for matching names: full-width to half-width, no spaces, lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def normalise_all(texts: pd.Series) -> pd.Series:
    """`normalise` over a column, vectorised."""
    return (texts.fillna("").astype("string").str.normalize("NFKC")
            .str.replace(r"\s+", "", regex=True).str.lower())
