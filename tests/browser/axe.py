"""axe-core (bundled by axe-playwright-python) against WCAG 2.2 A and AA, and AAA's enhanced
contrast (7:1: many of the volunteers and nominees reading these pages are older), with a
readable report."""
from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Rules run in addition to the tags' (axe leaves them off by default).
EXTRA_RULES = ["color-contrast-enhanced"]
_axe = Axe()


def violations(page):
    """axe's violations on the page as it is now (the WCAG 2.2 A/AA rules and EXTRA_RULES)."""
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS},
               "rules": {rule: {"enabled": True} for rule in EXTRA_RULES},
               "resultTypes": ["violations"]}
    return _axe.run(page, options=options).response["violations"]


def report(found):
    """One block per violation: rule, impact, help, and each offending node."""
    lines = []
    for violation in found:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"  - {', '.join(map(str, node['target']))}")
            lines.append(f"    {node['failureSummary']}".replace("\n", "\n    "))
    return "\n".join(lines)


def assert_accessible(page):
    """Fail with axe's findings unless the current page has no violation (WCAG 2.2 A/AA and
    the enhanced contrast)."""
    found = violations(page)
    assert not found, f"axe on {page.url}:\n{report(found)}"
