"""Apps own one concern each and never import each other's views (the house rule), so no import cycle."""

from __future__ import annotations

import ast
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "jamkoll" / "web"
APPS = sorted(p.name for p in WEB.iterdir() if (p / "apps.py").exists())


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_no_app_imports_another_apps_views() -> None:
    offenders = []
    for app in APPS:
        for path in (WEB / app).rglob("*.py"):
            for name in _imports(path):
                for other in APPS:
                    if other != app and name.startswith(f"jamkoll.web.{other}.views"):
                        offenders.append(f"{path.relative_to(WEB)} imports {name}")
    assert offenders == []


def _app(module: str) -> str:
    return module.split(".")[2] if module.count(".") >= 2 else module


def _module(path: Path) -> str:
    parts = path.relative_to(WEB.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_import_cycle_between_modules_of_the_web_app() -> None:
    """The web app's modules import each other without a cycle that spans two apps (imports inside
    functions count too; a cycle inside one app, e.g. models registering their siblings, is the app's own)."""
    modules = {_module(p): p for p in WEB.rglob("*.py") if "migrations" not in p.parts}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        targets: set[str] = set()
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    keep = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(keep + ([base] if base else []))
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    targets.add(full if full in modules else base)
        graph[name] = {t for t in targets if t in modules and t != name and _app(t) != _app(name)}
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(node: str, trail: list[str]) -> bool:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycle.extend([*trail[trail.index(nxt):], nxt] if nxt in trail else [node, nxt])
                return True
            if state.get(nxt) is None and visit(nxt, [*trail, nxt]):
                return True
        state[node] = 2
        return False

    for start in sorted(graph):
        if state.get(start) is None and visit(start, [start]):
            break
    assert cycle == [], " -> ".join(cycle)


def _app_imports(app: str) -> set[str]:
    """The other web apps that ``app``'s modules import (inside functions too; migrations left out)."""
    found: set[str] = set()
    for path in (WEB / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for name in _imports(path):
            parts = name.split(".")
            if len(parts) >= 3 and parts[:2] == ["jamkoll", "web"] and parts[2] in APPS and parts[2] != app:
                found.add(parts[2])
    return found


def test_funding_never_imports_front() -> None:
    # The dashboard and the report (front) put funding's parts together, never the other way round: the
    # year picker is shared from lib, the governance chapter is assembled in front.governance.
    assert "funding" in _app_imports("front")
    assert "front" not in _app_imports("funding")
