"""axe-core (bundled by axe-playwright-python) against WCAG 2.2 A and AA, with a readable report."""
from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_axe = Axe()


def violations(page):
    """axe's violations on the page as it is now (the WCAG 2.2 A/AA rules only)."""
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
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
    """Fail with axe's findings unless the current page has no WCAG 2.2 A/AA violation."""
    found = violations(page)
    assert not found, f"axe on {page.url}:\n{report(found)}"
