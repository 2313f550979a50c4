"""What a production install holds: ``pip install manyi`` brings everything the product
imports, and none of the test oracles (statsmodels, pandas, …) is needed to run it."""

import ast
import re
import sys
from importlib import metadata
from pathlib import Path

import pytest

pytestmark = pytest.mark.once
PACKAGE = Path(__file__).resolve().parents[1] / "manyi"


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _runtime_closure() -> set[str]:
    """The product's dependencies and theirs, without any extra (``[test]``)."""
    seen: set[str] = set()
    todo = [_name(r) for r in metadata.requires("manyi") or [] if "extra ==" not in r]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        todo += [_name(r) for r in requires if "extra ==" not in r]
    return seen


def _imported_modules() -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"manyi"}


def test_the_product_imports_only_what_a_production_install_brings():
    owners = metadata.packages_distributions()
    runtime = _runtime_closure()
    outside = {
        module: owners.get(module, ["?"])
        for module in _imported_modules()
        if not any(_name(dist) in runtime for dist in owners.get(module, []))
    }
    assert outside == {}


def test_the_test_oracles_are_not_product_dependencies():
    runtime = _runtime_closure()
    for oracle in ("statsmodels", "pandas", "pingouin", "plspm", "lifetimes", "playwright"):
        assert oracle not in runtime
