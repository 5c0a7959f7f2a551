"""House rules read from the source: features import only leftwards, private names stay in
their feature, and templates ask the models instead of comparing enum values."""
import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# core ← accounts ← nominations ← panels ← public, newsletter ← admin: a feature imports
# only from features of a lower rank (public and newsletter not from each other). The dev
# tools sit on top with admin: nothing imports them. The factories build data of every feature
# (for tests, the demo and the bench): right of the features, left of admin.
RANK = {"core": 0, "accounts": 1, "nominations": 2, "panels": 3, "public": 4, "newsletter": 4,
        "factories": 4.5, "admin": 5, "dev": 5}
# The app factory and the registries that gather every feature belong to no feature.
OUTSIDE = {"awards/__init__.py", "awards/models.py", "awards/worker.py",
           "awards/extensions.py"}
# An enum's value compared with a string literal: `x.value == 'draft'`, `'draft' != x.value`,
# `x.value in ('a', 'b')`. A template asks the model instead (`nomination.is_draft`).
VALUE_COMPARED = re.compile(r"""\.value\s*(?:==|!=)\s*['"]"""
                            r"""|['"]\s*(?:==|!=)\s*[\w.]+\.value\b"""
                            r"""|\.value\s+(?:not\s+)?in\s*[(\[]?\s*['"]""")
# What a template prints: `{{ ... }}`. Jinja's own tags, stripped before asking whether a
# printed expression stands inside an HTML tag (an attribute value such as
# `value="{{ s.value }}"`, where the stored value belongs) or in the text people read.
PRINTED = re.compile(r"\{\{(.*?)\}\}", re.S)
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
VALUE = re.compile(r"\.value\b")
# Templates that may print a `.value` as text, and why (the value is not an enum's).
PRINTS_VALUE = {
    "templates/panels/_review.html": "a score's number (Score.value), not an enum",
}


def values_printed_as_text(source):
    """The `{{ ... }}` expressions of a template that print a `.value` in the page's text
    (outside a tag's attributes): people should read the enum's `.label` instead."""
    printed = []
    for match in PRINTED.finditer(source):
        if not VALUE.search(match.group(1)):
            continue
        before = JINJA.sub(" ", source[:match.start()])
        if before.rfind("<") > before.rfind(">"):
            continue  # inside a tag: an attribute value
        printed.append(match.group(0))
    return printed


def python_files(*folders):
    """Every .py file under the folders, as paths relative to the project."""
    return sorted(path.relative_to(ROOT) for folder in folders
                  for path in (ROOT / folder).rglob("*.py"))


def feature_of(module):
    """The feature an `awards.…` module belongs to, or None (not a feature of awards)."""
    parts = module.split(".")
    if parts[0] != "awards" or len(parts) < 2 or parts[1] not in RANK:
        return None
    return parts[1]


def owner_of(path):
    """The feature a file belongs to: awards/<feature>/… and its tests, tests/<feature>/…"""
    parts = path.parts
    if parts[0] in ("awards", "tests") and len(parts) > 2 and parts[1] in RANK:
        return parts[1]
    return None


def is_private(name):
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def imports(tree):
    """(line, module, names) for each `import` and `from … import` of an awards module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "awards":
                    yield node.lineno, alias.name, []
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module \
                and node.module.split(".")[0] == "awards":
            names = [alias.name for alias in node.names]
            if node.module == "awards":  # `from awards import panels`
                for name in names:
                    yield node.lineno, f"awards.{name}", []
            else:
                yield node.lineno, node.module, names


def bound_names(tree):
    """What each name a file binds by importing from awards stands for (dotted)."""
    bound = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "awards":
                    if alias.asname:
                        bound[alias.asname] = alias.name
                    else:
                        bound["awards"] = "awards"
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module \
                and node.module.split(".")[0] == "awards":
            for alias in node.names:
                bound[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return bound


def dotted(node, bound):
    """The dotted awards name an expression such as `photos.attach` stands for, or None."""
    if isinstance(node, ast.Name):
        return bound.get(node.id)
    if isinstance(node, ast.Attribute):
        base = dotted(node.value, bound)
        return f"{base}.{node.attr}" if base else None
    return None


def parse(path):
    return ast.parse((ROOT / path).read_text(encoding="utf-8"), filename=str(path))


def test_every_package_of_awards_is_placed_in_the_direction():
    packages = {path.parent.name for path in (ROOT / "awards").glob("*/__init__.py")}

    assert packages <= set(RANK), f"place {sorted(packages - set(RANK))} in RANK"


def test_features_import_only_from_features_on_their_left():
    wrong = []
    for path in python_files("awards"):
        importer = owner_of(path)
        if path.as_posix() in OUTSIDE or importer is None:
            continue
        for line, module, _names in imports(parse(path)):
            imported = feature_of(module)
            if imported not in (None, importer) and RANK[imported] >= RANK[importer]:
                wrong.append(f"{path}:{line} {importer} imports {module}")

    assert wrong == []


def test_no_private_name_is_used_outside_its_feature():
    """awards/, bench/ and tests/ alike use another feature's public names only. The one
    exception: tests/<feature>/ may test a private helper of awards.<feature>."""
    wrong = []
    for path in python_files("awards", "bench", "tests"):
        owner = owner_of(path)
        tree = parse(path)
        for line, module, names in imports(tree):
            if feature_of(module) == owner:
                continue
            for name in [*module.split("."), *names]:
                if is_private(name):
                    wrong.append(f"{path}:{line} imports {name} from {module}")
        bound = bound_names(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and is_private(node.attr):
                target = dotted(node.value, bound)
                if target and feature_of(target) != owner:
                    wrong.append(f"{path}:{node.lineno} uses {target}.{node.attr}")

    assert wrong == []


@pytest.mark.parametrize(("source", "compares"), [
    ("{% if nomination.status.value == 'draft' %}", True),
    ('{% if panel.stage.value != "final" %}', True),
    ("{% if 'final' == panel.stage.value %}", True),
    ("{% if cycle.phase.value not in ('upcoming', 'nominating') %}", True),
    ("{% if nomination.status.value in ['submitted'] %}", True),
    ("{% if nomination.is_draft %}", False),
    ("{% if filters.status == s.value %}selected{% endif %}", False),
    ("{{ url_for('chair.overview', round=stage.value) }}", False),
])
def test_the_template_check_sees_value_comparisons(source, compares):
    assert bool(VALUE_COMPARED.search(source)) is compares


def test_templates_never_compare_an_enum_value_with_a_string():
    wrong = []
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.is_file() and path.suffix in {".html", ".txt", ".xml"}:
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if VALUE_COMPARED.search(line):
                    wrong.append(f"{path.relative_to(ROOT)}:{number} {line.strip()}")

    assert wrong == []


@pytest.mark.parametrize(("source", "prints"), [
    ("<td>{{ message.status.value }}</td>", True),
    ("<dd>{{ nomination.consent.status.value if nomination.consent else '-' }}</dd>", True),
    ("<dd>{{ {'paper': _('paper')}.get(n.received_via.value, n.received_via.value) }}</dd>",
     True),
    ("Status: {{ n.status.value|capitalize }}", True),
    ("<td>{{ n.status.label }}</td>", False),
    ('<option value="{{ s.value }}" {% if f == s.value %}selected{% endif %}>{{ s.label }}',
     False),
    ('<a href="{{ url_for(\'chair.overview\', round=stage.value) }}">{{ _(\'Show\') }}</a>',
     False),
    ('<input type="radio" value="{{ o.value }}"\n       name="{{ name }}">', False),
])
def test_the_template_check_sees_values_printed_as_text(source, prints):
    assert bool(values_printed_as_text(source)) is prints


def test_templates_print_labels_not_enum_values():
    wrong = []
    for path in sorted((ROOT / "templates").rglob("*")):
        name = path.relative_to(ROOT).as_posix()
        if path.is_file() and path.suffix in {".html", ".txt", ".xml"} \
                and name not in PRINTS_VALUE:
            wrong += [f"{name} {expression}"
                      for expression in values_printed_as_text(path.read_text(encoding="utf-8"))]

    assert wrong == []


def test_the_templates_allowed_to_print_a_value_still_exist():
    assert all((ROOT / name).is_file() for name in PRINTS_VALUE)
