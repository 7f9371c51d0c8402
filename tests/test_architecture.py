"""The layering rules, checked on the source: metrics/ never imports streamlit, only the store
imports duckdb, and pages hold no SQL."""
import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module a file imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_metrics_never_imports_streamlit():
    offenders = [p.name for p in (ROOT / "metrics").glob("**/*.py")
                 if "streamlit" in imported_modules(p)]
    assert offenders == []


def test_only_the_store_imports_duckdb():
    sources = [ROOT / "dashboard.py", *ROOT.glob("metrics/**/*.py"), *ROOT.glob("pages/**/*.py"),
               *ROOT.glob("scripts/*.py")]
    offenders = [str(p.relative_to(ROOT)) for p in sources if "duckdb" in imported_modules(p)]
    assert offenders == ["metrics/store.py"]


def test_pages_hold_no_sql():
    sql = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\s+")
    files = list((ROOT / "pages").glob("**/*.py")) + [ROOT / "dashboard.py"]
    offenders = [str(p.relative_to(ROOT)) for p in files
                 if sql.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_pages_call_the_shared_preparation_first():
    # A deep link on a fresh server runs a page without dashboard.py, so each page must
    # initialise the store itself.
    for page in (ROOT / "pages").glob("*.py"):
        assert "frame.prepare()" in page.read_text(encoding="utf-8"), page.name
