"""The layering rules, checked on the parsed source (imports, calls and string constants), so
that a comment can neither break nor satisfy them:

- metrics/ never imports streamlit or pages/;
- only metrics/store/duckdb_backend/ imports duckdb, and nothing outside metrics/store/ reaches
  into a backend: domain code sees the Store interface only;
- pages/ui/cache.py is the UI's only door to the store: no other page module imports
  metrics.store or calls a function that takes a Store;
- plotly, kaleido and python-docx are imported by metrics/reports/ only;
- pages hold no SQL, and each page calls frame.prepare() before anything else;
- pages stop through frame.stop only (it brings the menu's links up to date first).
"""
import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
METRICS = sorted((ROOT / "metrics").glob("**/*.py"))
PAGES = sorted((ROOT / "pages").glob("**/*.py")) + [ROOT / "dashboard.py"]
BACKENDS = ROOT / "metrics" / "store"
SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE)\s+[\w*(]", re.IGNORECASE)


def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def imported_modules(path: Path) -> set[str]:
    """Full dotted names of every module a file imports (from-imports add each name too, for
    `from metrics import store`)."""
    names = set()
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def imports(path: Path, package: str) -> bool:
    """Whether the file imports `package` or anything inside it."""
    return any(name == package or name.startswith(f"{package}.")
               for name in imported_modules(path))


def relative(paths) -> list[str]:
    return [str(p.relative_to(ROOT)) for p in paths]


def module_name(path: Path) -> str:
    """metrics/uploads/ingest.py → metrics.uploads.ingest."""
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def store_taking_functions() -> set[str]:
    """module.function of every metrics function whose parameters include a Store."""
    names = set()
    for path in METRICS:
        if BACKENDS in path.parents:
            continue
        for node in ast.walk(tree(path)):
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(arg.annotation, ast.Name) and arg.annotation.id == "Store"
                    for arg in node.args.args):
                names.add(f"{module_name(path)}.{node.name}")
    return names


def local_names(path: Path) -> dict[str, str]:
    """What each imported name of a file stands for: local name → dotted name."""
    bound = {}
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.ImportFrom) and node.module:
            bound |= {alias.asname or alias.name: f"{node.module}.{alias.name}"
                      for alias in node.names}
        elif isinstance(node, ast.Import):
            bound |= {alias.asname or alias.name: alias.name for alias in node.names}
    return bound


def called_functions(path: Path) -> set[str]:
    """Dotted names of the imported functions a file calls (ingest.commit(…) →
    metrics.uploads.ingest.commit)."""
    bound, calls = local_names(path), set()
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.Call):
            written = ast.unparse(node.func).split(".")
            if written[0] in bound:
                calls.add(".".join([bound[written[0]], *written[1:]]))
    return calls


def test_metrics_never_imports_streamlit_or_pages():
    offenders = [p for p in METRICS if imports(p, "streamlit") or imports(p, "pages")]
    assert relative(offenders) == []


def test_only_the_duckdb_backend_imports_duckdb():
    sources = METRICS + PAGES + sorted((ROOT / "scripts").glob("*.py"))
    offenders = [p for p in sources if imports(p, "duckdb")]
    backend = ROOT / "metrics" / "store" / "duckdb_backend"
    assert offenders and all(backend in p.parents for p in offenders), relative(offenders)


def test_domain_code_sees_the_store_interface_only():
    outside = [p for p in METRICS + PAGES if BACKENDS not in p.parents]
    offenders = [p for p in outside if imports(p, "metrics.store.duckdb_backend")]
    assert relative(offenders) == []


def test_the_cache_is_the_only_door_from_the_ui_to_the_store():
    store_functions = store_taking_functions()
    assert {"metrics.uploads.ingest.commit", "metrics.evaluation.engine.run",
            "metrics.reports.briefing.build", "metrics.sync.init"} <= store_functions
    # The entry points as their packages export them.
    store_functions |= {"metrics.evaluation.run"}
    door = ROOT / "pages" / "ui" / "cache.py"
    offenders = {str(p.relative_to(ROOT)): sorted(called_functions(p) & store_functions)
                 for p in PAGES if p != door}
    offenders = {page: calls for page, calls in offenders.items() if calls}
    importing = [p for p in PAGES if p != door and imports(p, "metrics.store")]
    assert offenders == {} and relative(importing) == []


@pytest.mark.parametrize("library", ["plotly", "kaleido", "docx"])
def test_document_and_chart_libraries_stay_in_reports(library):
    offenders = [p for p in METRICS + PAGES if imports(p, library)]
    assert all(ROOT / "metrics" / "reports" in p.parents for p in offenders), relative(offenders)


def test_pages_hold_no_sql():
    offenders = [p for p in PAGES for node in ast.walk(tree(p))
                 if isinstance(node, ast.Constant) and isinstance(node.value, str)
                 and SQL.search(node.value)]
    assert relative(offenders) == []


def test_pages_stop_through_frame_stop_only():
    calls = [(relative([p])[0], node.lineno) for p in PAGES for node in ast.walk(tree(p))
             if isinstance(node, ast.Call) and ast.unparse(node.func) == "st.stop"]
    assert calls == [("pages/ui/frame.py", next(
        node.body[-1].lineno for node in tree(ROOT / "pages/ui/frame.py").body
        if isinstance(node, ast.FunctionDef) and node.name == "stop"))]


def first_call(path: Path) -> str:
    """The first call a page makes at the top level, as written (e.g. frame.prepare)."""
    for statement in tree(path).body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Call):
                return ast.unparse(node.func)
    return ""


@pytest.mark.parametrize("page", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_each_page_prepares_before_anything_else(page):
    # A deep link on a fresh server runs a page without dashboard.py, so each page must make
    # sure of the store itself, and learn who is acting, before it shows anything.
    assert first_call(page) == "frame.prepare"
