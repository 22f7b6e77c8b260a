"""The gateway's house: no import circles, every module importable on its own, spaces that do not lean
on each other, and each space's pages, calls and templates in its own package."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import gateway
from gateway import web

PACKAGE = Path(gateway.__file__).resolve().parent


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.relative_to(PACKAGE).parts:
            continue
        parts = ("gateway",) + path.relative_to(PACKAGE).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports_of(name: str, path: Path, modules: dict) -> set[str]:
    """The gateway modules ``name`` imports, anywhere in its file (an import inside a function too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    seen = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # ``from . import x`` names a module x when there is one, else a name of the package.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        seen.update(target for target in targets if target in modules and target != name)
    return seen


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_module_of_the_gateway_imports_itself_back():
    modules = _modules()
    graph = {name: imports_of(name, path, modules) for name, path in modules.items()}
    # A package importing its own modules is no circle: only module-to-module ties count.
    for name in graph:
        graph[name] = {target for target in graph[name] if not name.startswith(target + ".")}
    assert circles(graph) == []


def test_the_circle_check_sees_a_circle():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_every_module_imports_on_its_own():
    modules = [name for name in _modules() if name != "gateway.worker"] + ["gateway.worker"]
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    for loaded in [m for m in sys.modules if m == 'gateway' or m.startswith('gateway.')]:\n"
        "        del sys.modules[loaded]\n"
        "    importlib.import_module(name)\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=PACKAGE.parent, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


def test_a_space_leans_on_common_only():
    modules = _modules()
    for name, path in modules.items():
        parts = name.split(".")
        if len(parts) < 3 or parts[1] != "web" or parts[2] in ("common",):
            continue
        for target in imports_of(name, path, modules):
            target_parts = target.split(".")
            if len(target_parts) >= 3 and target_parts[1] == "web":
                assert target_parts[2] in ("common", parts[2]), f"{name} imports {target}"
            if len(target_parts) == 2 and target_parts[1] == "web":
                raise AssertionError(f"{name} imports gateway.web")
    common = [name for name in modules if name.startswith("gateway.web.common")]
    for name in common:
        for target in imports_of(name, modules[name], modules):
            assert not target.startswith("gateway.web.") or target.startswith("gateway.web.common"), \
                f"{name} imports the space {target}"


def test_each_space_registers_itself_and_holds_its_templates():
    for name in web.SPACES:
        space = PACKAGE / "web" / name
        assert (space / "__init__.py").exists()
        assert callable(getattr(__import__(f"gateway.web.{name}", fromlist=["register"]), "register"))
        assert list((space / "templates" / name).glob("*.html")), name
    assert not (PACKAGE / "templates").exists()  # no flat folder of every space's templates
    assert [path.name for path in (PACKAGE / "web").glob("*.py")] == ["__init__.py"]  # the rest by space


def test_one_pager_for_every_list():
    pagers = [path for path in PACKAGE.rglob("*.html") if "pager" in path.name]
    assert [path.relative_to(PACKAGE).as_posix() for path in pagers] == ["web/common/templates/_pager.html"]
    for path in PACKAGE.rglob("*.py"):
        if path.name != "pager.py":
            assert "class Pager" not in path.read_text(), path
