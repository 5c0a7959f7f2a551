"""House rules for view modules: one unit of work, no view module importing another."""
import ast
from pathlib import Path

import awards

PACKAGE = Path(awards.__file__).parent


def view_modules():
    """Every view module: awards/*/views.py, awards/*/views/*.py, awards/core/views.py."""
    found = set(PACKAGE.glob("*/views.py")) | set(PACKAGE.glob("*/views/*.py"))
    return sorted(found)


def module_name(path):
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def is_views_module(name):
    """awards.<feature>.views or anything under it."""
    parts = name.split(".")
    return len(parts) >= 3 and parts[0] == "awards" and parts[2] == "views"


def imported_modules(path):
    """(line, module) for every module the file imports, relative imports resolved."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            yield node.lineno, module
            for alias in node.names:  # `from awards.x import views` imports a view module
                yield node.lineno, f"{module}.{alias.name}"


def test_view_modules_are_found():
    names = {module_name(path) for path in view_modules()}
    assert {"awards.core.views", "awards.accounts.views", "awards.nominations.views.journey",
            "awards.panels.views.chair", "awards.public.views.thanks"} <= names


def test_no_view_module_commits_or_rolls_back():
    """Views apply changes with `awards.core.unit_of_work.apply_change`, never by hand."""
    offences = []
    for path in view_modules():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in {"commit", "rollback"}):
                offences.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} "
                                f".{node.func.attr}()")
    assert offences == []


def test_no_view_module_imports_another():
    """What two views share lives outside the views (forms, services, access rules)."""
    offences = []
    for path in view_modules():
        own = module_name(path)
        for line, imported in imported_modules(path):
            if is_views_module(imported) and imported != own:
                offences.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {imported}")
    assert offences == []
