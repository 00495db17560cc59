"""The package's imports flow one way: text → article / modeling → check → summarize → report → cli,
with training beside check and summarize (it may import both; neither imports it)."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "digestnlp"
# Each stage and what it may import from the package (itself always allowed).
ALLOWED = {
    "errors": set(),
    "io": {"errors"},
    "text": {"errors"},
    "article": {"text", "errors", "io"},
    "modeling": {"errors", "io"},
    "check": {"text", "article", "modeling", "errors", "io"},
    "training": {"text", "article", "modeling", "check", "summarize", "errors", "io"},
    "summarize": {"text", "article", "modeling", "check", "errors", "io"},
    "report": {"text", "article", "modeling", "check", "summarize", "errors", "io"},
}


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, imported names) of every ``digestnlp`` import in ``path``, at any depth."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("digestnlp"):
            out.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names if a.name.startswith("digestnlp")]
    return out


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


SOURCES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_flow_one_way(path: Path) -> None:
    here = path.relative_to(PACKAGE).with_suffix("").parts[0]
    if here not in ALLOWED:
        return  # __init__, __main__ and cli sit on top and may import anything
    for module, _ in _imports(path):
        there = _stage(module)
        assert there in ALLOWED[here] | {here, ""} or module == "digestnlp", f"{path}: {here} imports {module}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_private_names_cross_modules(path: Path) -> None:
    own = "digestnlp." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
    for module, names in _imports(path):
        private = [n for n in names if n.startswith("_") and not n.startswith("__")]
        assert not private or module == own, f"{path} imports private {private} from {module}"


def test_layers_cover_every_stage() -> None:
    stages = {p.relative_to(PACKAGE).parts[0].removesuffix(".py") for p in SOURCES}
    assert stages - {"__init__", "__main__", "cli", "py"} <= set(ALLOWED)
