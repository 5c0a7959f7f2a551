"""Shortcuts taken for the chair's pages' speed give exactly what the general path gives:
nomination addresses built from a pattern are url_for's; the decision page reads only its
nomination's declarations."""
import pytest
from flask import url_for
from sqlalchemy import event

from awards.extensions import db
from awards.panels.links import ENDPOINTS, NominationLinks
from awards.panels.models import Declaration
from awards.panels.services.declarations import recuse

REFERENCES = ["BC27-4F7KQ", "QC0000001", "bc27-abc", "A B/C?", "Siân&co", ".."]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_nomination_links_are_what_url_for_builds(app, endpoint):
    for script_root in ("", "/awards"):
        with app.test_request_context("/", base_url=f"https://example.org{script_root}"):
            for panel_id in (1, 27):
                links = NominationLinks(panel_id)
                for reference in REFERENCES:
                    assert links(endpoint, reference) == url_for(
                        endpoint, panel_id=panel_id, reference=reference), reference


def test_the_decision_page_loads_only_its_nominations_declarations(app, judging, review,
                                                                    sign_in):
    j = judging(4, 3)
    for nomination in j.nominations:
        review(j.members[1], nomination, 3)
        review(j.members[2], nomination, 4)
    target = j.nominations[0]
    recuse(j.members[2], target, "Her cousin", actor=j.admin)
    recuse(j.members[1], j.nominations[1], "His neighbour", actor=j.admin)
    db.session.commit()
    client = app.test_client()
    sign_in(j.admin, target=client)
    loaded = []

    def note(declaration, _context):
        loaded.append(declaration.nomination_id)

    event.listen(Declaration, "load", note)
    try:
        text = client.get(f"/panel/{j.panel.id}/{target.reference}/decision").get_data(
            as_text=True)
    finally:
        event.remove(Declaration, "load", note)

    assert "Member 3" in text and "Her cousin" in text and "His neighbour" not in text
    assert loaded and set(loaded) == {target.id}, loaded


def test_a_blind_panels_overview_names_nominations_by_category_and_area(
        app, judging, review, sign_in):
    j = judging(2, 3, blind=True, names=["Wynn Jones", "Ffion Hughes"])
    review(j.members[1], j.nominations[0], 4)
    client = app.test_client()
    sign_in(j.admin, target=client)

    text = client.get(f"/panel/{j.panel.id}/chair").get_data(as_text=True)

    first = j.nominations[0]
    label = f"Nomination in {first.category.name}, {first.area.name}"
    assert f"{first.reference}</a> – {label}</td>" in text
    assert "Wynn" not in text and "Ffion" not in text
