"""The methodology core must stay free of Django (and of the web app)."""

import ast
import pathlib
import subprocess
import sys

CORE = pathlib.Path(__file__).resolve().parents[1]


def test_no_module_of_the_core_imports_django_or_the_app():
    offenders = []
    for path in CORE.rglob("*.py"):
        if "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in {"django", "rest_framework"} or (
                    top == "winroom" and not name.startswith("winroom.methodology")
                ):
                    offenders.append(f"{path.name}: {name}")
    assert offenders == []


def test_importing_the_core_loads_no_django_module():
    code = (
        "import sys, pkgutil, importlib, winroom.methodology as m\n"
        "for info in pkgutil.iter_modules(m.__path__):\n"
        "    importlib.import_module('winroom.methodology.' + info.name)\n"
        "bad = [n for n in sys.modules if n == 'django' or n.startswith('django.')]\n"
        "print(len(bad)); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
