"""README's Layout section lists every module of metrics/ and pages/, and nothing that is not
there: a newcomer finds any behaviour from it."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def listed_paths() -> set[str]:
    """Paths named in the Layout block, nested names joined to their folder."""
    block = ROOT.joinpath("README.md").read_text(encoding="utf-8").split("## Layout", 1)[1]
    block = block.split("```")[1]
    paths, folders = set(), {}
    for line in block.splitlines():
        match = re.match(r"^( *)(\S+)", line)
        if not match or match.group(2) == "…":
            continue
        depth, names = len(match.group(1)) // 2, match.group(2)
        names = [n.strip() for n in line.strip().split("  ")[0].split(",")]
        parent = folders.get(depth - 1, "")
        for name in names:
            full = parent + name
            if name.endswith("/"):
                folders[depth] = full
            paths.add(full)
    return paths


def test_every_module_is_listed_and_every_listed_module_exists():
    modules = {str(p.relative_to(ROOT)) for folder in ("metrics", "pages")
               for p in (ROOT / folder).glob("**/*.py")}
    modules -= {"metrics/__init__.py", "pages/ui/__init__.py", "metrics/evaluation/__init__.py",
                "metrics/uploads/__init__.py", "metrics/reports/__init__.py",
                "metrics/views/__init__.py"}
    listed = {p for p in listed_paths() if p.endswith(".py")}
    assert modules - listed == set(), "not in README"
    assert {p for p in listed if p != "dashboard.py"} - modules == set(), "not in the tree"
