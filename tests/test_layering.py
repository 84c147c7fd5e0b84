"""Imports run one way: pages -> ui -> teaching -> losses, and trainlab -> losses (public names).

Read from the source with ``ast``, so a lazy import inside a function counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import losses

ROOT = Path(__file__).resolve().parent.parent
WEB_OR_PLOTS = {"streamlit", "plotly", "matplotlib", "pandas", "streamlit_drawable_canvas"}
OURS = {"losses", "teaching", "trainlab", "ui", "pages", "app"}

#: For each package, the top-level modules it must never import.
FORBIDDEN = {
    "losses": WEB_OR_PLOTS | (OURS - {"losses"}),
    "teaching": WEB_OR_PLOTS | {"ui", "pages", "trainlab", "app"},
    "trainlab": WEB_OR_PLOTS | {"ui", "pages", "teaching", "app"},
    "ui": {"pages", "app"},
}


def _imports(path: Path, package: str) -> list[tuple[str, list[str]]]:
    """(module, imported names) for every import in ``path``, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = parts[: len(parts) - node.level]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            out.append((module, [a.name for a in node.names]))
    return out


def _sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_package_imports_against_the_direction(package):
    files = _sources(package)
    assert files, package
    for path in files:
        for module, _ in _imports(path, package):
            top = module.split(".")[0]
            assert top not in FORBIDDEN[package], (str(path.relative_to(ROOT)), module)


def test_trainlab_uses_only_the_public_names_of_losses():
    public = set(losses.__all__)
    for path in _sources("trainlab"):
        for module, names in _imports(path, "trainlab"):
            if module == "losses":
                assert set(names) <= public, (path.name, names)
            else:
                assert not module.startswith("losses."), (path.name, module)


def test_pages_do_not_import_each_other():
    for path in _sources("pages"):
        for module, _ in _imports(path, "pages"):
            assert module.split(".")[0] != "pages", (path.name, module)


def test_the_registry_and_the_teaching_package_load_no_tensorflow():
    """The home page reads the registry; that must not pull TensorFlow in."""
    import subprocess
    import sys

    code = (
        "import sys; import teaching, teaching.registry\n"
        "print('tensorflow' in sys.modules, 'losses' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["False", "False"]
