"""The apps depend in one direction (README, "Architecture"): `newsroom` imports no app, and no app
imports one to its right. Read from the source with `ast`, so an import inside a function counts."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

# Left to right; an app may import those before it (apps on one level may import each other).
LAYERS = [
    ["newsroom"],
    ["contacts"],
    ["publications", "photos"],
    ["releases"],
    ["alerts", "appointments", "accounts", "legal", "bench"],
]
LEVEL = {app: level for level, apps in enumerate(LAYERS) for app in apps}


def imported_modules(path: Path):
    """(line, module) of every absolute import in the file."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def imports_to_the_right(app: str) -> list[str]:
    base = Path(settings.BASE_DIR)
    found = []
    # Migrations are history: they import what the code of their day offered.
    for path in sorted((base / app).rglob("*.py")):
        if "migrations" in path.relative_to(base).parts:
            continue
        for line, module in imported_modules(path):
            target = module.split(".")[0]
            if LEVEL.get(target, -1) > LEVEL[app]:
                found.append(f"{path.relative_to(base)}:{line} imports {module}")
    return found


def test_every_project_app_has_a_layer():
    base = Path(settings.BASE_DIR)
    apps = {path.parent.name for path in base.glob("*/apps.py")}
    assert apps == set(LEVEL)


@pytest.mark.parametrize("app", list(LEVEL))
def test_no_app_imports_one_to_its_right(app):
    assert imports_to_the_right(app) == []
