"""A module's underscore names are its own: no .py file in the repository imports `_name` from another module or
reads `x._name` on anything but `self` or `cls` (dunders such as `__file__` are public).

A test that checks an internal itself may touch it, and says so: the marker INTERNAL, then why, on the line or the
line above. Nothing else is let through.
"""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INTERNAL = "# internal:"


def private(name: str) -> bool:
    """Whether `name` is a private name: one leading underscore, not a dunder."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def reaches(node: ast.AST) -> str | None:
    """What `node` reaches into, written out, if it is an import of a private name or a private attribute read on
    something other than self or cls; else None."""
    if isinstance(node, ast.ImportFrom):
        names = [alias.name for alias in node.names if private(alias.name)]
        return f"from {'.' * node.level}{node.module or ''} import {', '.join(names)}" if names else None
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names if any(private(part) for part in alias.name.split("."))]
        return f"import {', '.join(names)}" if names else None
    if isinstance(node, ast.Attribute) and private(node.attr):
        own = isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
        return None if own else ast.unparse(node)
    return None


def python_files(root: Path) -> list[Path]:
    """Every .py file under `root`, outside hidden folders (.git, virtual environments)."""
    return sorted(path for path in root.rglob("*.py")
                  if not any(part.startswith(".") for part in path.relative_to(root).parts))


def violations(path: Path, root: Path = ROOT) -> list[str]:
    """`path:line: what` for each reach into a private name in the file (`path` under `root`), less those that a
    file under root/tests marks INTERNAL."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    marking_allowed = path.is_relative_to(root / "tests")
    found = []
    for node in ast.walk(ast.parse(text, str(path))):
        what = reaches(node)
        if what is None:
            continue
        nearby = lines[max(node.lineno - 2, 0):node.end_lineno]
        if marking_allowed and any(INTERNAL in line for line in nearby):
            continue
        found.append((node.lineno, f"{path.relative_to(root)}:{node.lineno}: {what}"))
    return [line for _, line in sorted(found)]


def test_no_module_reaches_into_another_modules_private_names() -> None:
    found = [v for path in python_files(ROOT) for v in violations(path)]
    assert not found, ("private names used outside their module (ask for a public function, or in a test that checks "
                       f"the internal itself mark the line '{INTERNAL} why'):\n" + "\n".join(found))


def test_the_check_finds_each_kind_of_reach(tmp_path: Path) -> None:
    sample = ("from explain.analysis_cache import _for_class\nimport torch._dynamo\nfrom explain import analysis_cache\n"
              "analysis_cache.ANALYSIS_CACHE._entries.clear()\nself._entries, cls._lock, __file__, os.__name__\n")
    module = tmp_path / "lab" / "module.py"
    module.parent.mkdir()
    module.write_text(sample)
    assert violations(module, tmp_path) == ["lab/module.py:1: from explain.analysis_cache import _for_class",
                                  "lab/module.py:2: import torch._dynamo",
                                  "lab/module.py:4: analysis_cache.ANALYSIS_CACHE._entries"]


def test_only_a_test_may_mark_an_internal(tmp_path: Path) -> None:
    marked = "import models.pairs\nassert models.pairs._loaded == {}  # internal: the test checks this very cache\n"
    for folder in ("tests", "benchmarks"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "check.py").write_text(marked)
    assert violations(tmp_path / "tests" / "check.py", tmp_path) == []
    assert violations(tmp_path / "benchmarks" / "check.py", tmp_path) == ["benchmarks/check.py:2: models.pairs._loaded"]
