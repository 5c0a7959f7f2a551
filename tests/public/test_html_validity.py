"""Every public page is valid HTML, as the Nu Html Checker (vnu.jar, the W3C validator) sees it.

The pages are rendered with the test client over a small published record (showcase.py):
the ones listed here in the states worth seeing (filters, an empty search, pages of results,
a winner with and without photo and story, the thank-you form with errors and its
confirmation), then every other GET route of the public blueprints with sample arguments, so
a route added later is checked too (one that needs a signed-in admin, as one). Responses that
are not HTML (feeds, sitemap, robots.txt, images, PDF) are left out; the stylesheets the pages
link to are checked as CSS. Everything goes to vnu in one run: one JVM start, not one per page.

`make test` installs vnu-jar from npm into .venv/vnu (`make vnu`); set VNU_JAR to use another
copy. Without Java or the jar the test skips, and in CI it fails.
"""
import functools
import itertools
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from flask import url_for

from awards.public import queries
from tests.conftest import require
from tests.public.showcase import CASTLE_HILL, RIVERSIDE, SEARCH_WORD, build_showcase

pytestmark = pytest.mark.vnu

PROJECT = Path(__file__).resolve().parents[2]
INSTALLED_JAR = PROJECT / ".venv/vnu/node_modules/vnu-jar/build/dist/vnu.jar"
BLUEPRINTS = {"public", "thanks", "feeds", "certificates"}
PER_PAGE = 2  # so that five awards make pages of results, and the pagination is checked too
# A page with one known error, checked with the others: proof that vnu really looked.
CANARY = ("<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>Canary</title></head>"
          "<body><img src=canary.png></body></html>")
CANARY_ERROR = "An “img” element must have an “alt” attribute"
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"?#]+\.css)')


def vnu_command():
    """`java -jar vnu.jar`, or skip (fail in CI) when either is missing."""
    java = shutil.which("java")
    require(java is not None, "Java for the Nu Html Checker (apt-get install default-jre-headless)")
    jar = Path(os.environ.get("VNU_JAR") or INSTALLED_JAR)
    require(jar.is_file(), f"the Nu Html Checker at {jar} (`make vnu` installs it with npm, or "
                           "set VNU_JAR)")
    return [java, "-jar", str(jar)]


def validate(command, files):
    """Run vnu once over `files` (HTML and CSS); its errors as (file, line, column, message,
    extract)."""
    run = subprocess.run([*command, "--format", "json", "--errors-only", "--also-check-css",
                          "--stdout", *map(str, files)],
                         capture_output=True, text=True, timeout=300)
    try:
        messages = json.loads(run.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu gave no report (exit {run.returncode}):\n{run.stdout}\n{run.stderr}")
    return [(m.get("url", "?").rpartition("/")[2], m.get("lastLine", "?"),
             m.get("firstColumn", "?"), m.get("message", ""), (m.get("extract") or "").strip())
            for m in messages if m.get("type") in ("error", "non-document-error")]


def report(errors, sources):
    """One line per error, under the file (and the address it came from) it was found in."""
    lines = []
    for name, found in itertools.groupby(sorted(errors), key=lambda error: error[0]):
        lines.append(f"{name} ({sources.get(name, '?')}):")
        for _, line, column, message, extract in found:
            lines.append(f"  line {line}, column {column}: {message}")
            if extract:
                lines.append(f"      {extract!r}")
    return "\n".join(lines)


def is_html(response):
    return response.mimetype == "text/html"


def served_from(response):
    """The path and query of the request that gave this response (after any redirects)."""
    query = response.request.query_string.decode()
    return response.request.path + (f"?{query}" if query else "")


@pytest.fixture
def show(monkeypatch):
    """The published record, with the lists cut into pages of PER_PAGE."""
    monkeypatch.setattr(queries, "hall_of_fame",
                        functools.partial(queries.hall_of_fame, per_page=PER_PAGE))
    return build_showcase()


def listed_pages(client, show):
    """The pages in the states worth checking: name -> response (each must be HTML)."""
    margaret, desmond, priya = (show.awards[name] for name in
                                ("Margaret Ellis", "Desmond Carter", "Priya Shah"))
    get = {
        "home": url_for("public.home"),
        "hall-of-fame": url_for("public.hall_of_fame"),
        "hall-of-fame-page-2": url_for("public.hall_of_fame", page=2),
        "hall-of-fame-filtered": url_for("public.hall_of_fame", year=show.current_year,
                                         category="good-neighbour",
                                         area=show.areas[CASTLE_HILL].id),
        "hall-of-fame-search": url_for("public.hall_of_fame", q=SEARCH_WORD),
        "hall-of-fame-no-match": url_for("public.hall_of_fame", q="zebracrossingxyz"),
        "cycle-results": url_for("public.cycle_results", slug=show.current.slug),
        "cycle-results-past": url_for("public.cycle_results", slug=show.past.slug),
        "winner-photo-story": url_for("public.award", key=margaret.key, slug=margaret.slug),
        "commended-first-name": url_for("public.award", key=desmond.key, slug=desmond.slug),
        "winner-anonymous-no-story": url_for("public.award", key=priya.key, slug=priya.slug),
        "area": url_for("public.area", area_id=show.areas[RIVERSIDE].id),
        "category": url_for("public.category", slug="good-neighbour"),
        "category-page-2": url_for("public.category", slug="good-neighbour", page=2),
        "thank-you": url_for("thanks.new", key=margaret.key),
    }
    pages = {name: client.get(path) for name, path in get.items()}
    thanks = url_for("thanks.new", key=margaret.key)
    pages["thank-you-errors"] = client.post(thanks, data={"message": "", "author_name": ""})
    pages["thank-you-sent"] = client.post(thanks, follow_redirects=True, data={
        "message": "Thank you for the Friday lunches.", "author_name": "A neighbour"})
    wrong = [f"{name}: {served_from(r)} answered {r.status_code} {r.mimetype}"
             for name, r in pages.items()
             if (r.status_code != 200 and name != "thank-you-errors") or not is_html(r)]
    assert not wrong, "\n".join(wrong)
    assert "There is a problem" in pages["thank-you-errors"].get_data(as_text=True)
    assert "There is a problem" not in pages["thank-you-sent"].get_data(as_text=True)
    assert served_from(pages["thank-you-sent"]) != thanks
    return pages


def route_pages(app, clients, show, covered):
    """Every other GET route of the public blueprints, with each set of sample arguments that
    answers: name -> response (HTML or not). A route that sends visitors to sign in is asked
    again as an admin. Fails for a route that nothing answers."""
    margaret, priya = show.awards["Margaret Ellis"], show.awards["Priya Shah"]
    samples = {
        "key": [margaret.key, priya.key],  # with photo, story and area; with none of them
        "slug": [margaret.slug, priya.slug, show.current.slug, "good-neighbour"],
        "area_id": [show.areas[RIVERSIDE].id],
        "size": ["thumb", "display"],
    }
    sign_in_path = url_for("accounts.sign_in")
    pages, seen, problems = {}, set(), []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        blueprint = rule.endpoint.partition(".")[0]
        if blueprint not in BLUEPRINTS or "GET" not in rule.methods or rule.endpoint in covered:
            continue
        unknown = sorted(set(rule.arguments) - set(samples))
        if unknown:
            problems.append(f"{rule.rule}: add sample values for {', '.join(unknown)}")
            continue
        names = sorted(rule.arguments)
        answers = []
        for values in itertools.product(*(samples[name] for name in names)):
            path = rule.build(dict(zip(names, values)))[1]
            response = clients["visitor"].get(path, follow_redirects=True)
            if response.request.path == sign_in_path:
                response = clients["admin"].get(path, follow_redirects=True)
            answers.append(f"{path} {response.status_code}")
            if response.status_code == 200 and served_from(response) not in seen:
                seen.add(served_from(response))
                pages[f"{rule.endpoint.replace('.', '-').replace('_', '-')}-{len(pages)}"] = (
                    response)
        if not any(answer.endswith(" 200") for answer in answers):
            problems.append(f"{rule.rule}: nothing answered 200 ({'; '.join(answers)})")
    assert not problems, "routes this test cannot check:\n" + "\n".join(problems)
    return pages


def stylesheets(app, pages):
    """The files of the stylesheets the HTML pages link to."""
    prefix = app.static_url_path + "/"
    found = {href for response in pages.values() if is_html(response)
             for href in STYLESHEET.findall(response.get_data(as_text=True))}
    assert found, "no stylesheet found in the pages"
    assert all(href.startswith(prefix) for href in found), found
    return sorted(Path(app.static_folder) / href.removeprefix(prefix) for href in found)


def every_page(app, client, admin, show):
    """The pages the public listings link to, then one of every other route's, as a visitor
    (`client`) or a signed-in admin (`admin`); in a request context."""
    pages = listed_pages(client, show)
    adapter = app.url_map.bind("localhost")
    covered = {adapter.match(r.request.path)[0] for r in pages.values()}
    pages.update(route_pages(app, {"visitor": client, "admin": admin}, show, covered))
    return pages


def test_every_public_page_and_its_css_is_valid(app, client, show, sign_in, tmp_path):
    command = vnu_command()
    admin = app.test_client()
    assert sign_in(show.admin, target=admin).status_code == 302
    with app.test_request_context():
        pages = every_page(app, client, admin, show)

    files, sources = [], {}
    for number, (name, response) in enumerate(pages.items(), start=1):
        if is_html(response):
            path = tmp_path / f"{number:02d}-{name}.html"
            path.write_bytes(response.get_data())
            files.append(path)
            sources[path.name] = served_from(response)
    assert len(files) >= 20, sorted(sources.values())
    css = stylesheets(app, pages)
    sources.update((path.name, str(path.relative_to(PROJECT))) for path in css)
    canary = tmp_path / "00-canary.html"
    canary.write_text(CANARY)

    errors = validate(command, [canary, *files, *css])
    assert any(e[0] == canary.name and CANARY_ERROR in e[3] for e in errors), (
        f"vnu did not report the canary's missing alt text: {errors}")
    errors = [error for error in errors if error[0] != canary.name]
    assert not errors, (f"vnu found {len(errors)} errors in {len(files)} pages and "
                        f"{len(css)} stylesheets:\n" + report(errors, sources))
