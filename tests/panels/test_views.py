"""The members' and chairs' pages through HTTP: declaring, reviewing, discussing, results,
rounds, decisions; blind mode; and the judge dashboard's constant number of queries."""
import csv
import io

from sqlalchemy import event, select

from awards.core.audit import AuditEvent
from awards.extensions import db
from awards.nominations.enums import ConsentStatus, NominationStatus, Phase
from awards.nominations.models import Consent, Nomination
from awards.panels.enums import Stage
from awards.panels.models import Assignment, Declaration, Review
from awards.panels.services.rubric import criteria_of
from tests.nominations.conftest import move_to, page, reload


def member_client(app, sign_in, member):
    client = app.test_client()
    assert sign_in(member.user, target=client).status_code == 302
    return client


def test_a_member_declares_then_reviews_a_nomination(app, judging, sign_in):
    made = judging(2, 2, names=["Maria Lopez", "Tom Okafor"])
    member = made.members[1]
    client = member_client(app, sign_in, member)
    listing = page(client.get(f"/panel/{made.panel.id}"))
    assert "0 of 2 reviewed" in listing and "Declare first" in listing
    first = made.nominations[0]
    path = f"/panel/{made.panel.id}/{first.reference}"
    declare = page(client.get(path))
    assert "The nominee is Maria Lopez" in declare
    assert "Runs the Tuesday lunch club" not in declare  # nothing more before declaring
    missing = page(client.post(path, data={}))
    assert "Say whether you have a conflict of interest" in missing
    assert "Error:" in missing
    response = client.post(path, data={"conflicted": "no"})
    assert response.headers["Location"] == path
    story = page(client.get(path))
    assert "Runs the Tuesday lunch club" in story and "Need addressed" in story
    criteria = criteria_of(first.category)
    # A draft keeps what was typed; submitting with gaps names them and loses nothing.
    draft = {"draft": "1", f"score_{criteria[0].id}": "4",
             f"comment_{criteria[0].id}": "A real need", "overall_comment": "Lovely"}
    assert client.post(path, data=draft).status_code == 302
    saved = reload(db.session.scalar(select(Review)))
    assert saved.submitted_at is None and saved.scores[0].value == 4
    partial = page(client.post(path, data={**draft, "submit": "1", "draft": ""}))
    assert "Score or abstain on every criterion" in partial
    assert "A real need" in partial and "Lovely" in partial
    answers = {f"score_{c.id}": "3" for c in criteria}
    answers[f"score_{criteria[2].id}"] = "abstain"
    done = client.post(path, data={**answers, "submit": "1"})
    assert done.status_code == 302
    review = reload(saved)
    assert review.submitted_at is not None
    assert [s.value for s in sorted(review.scores, key=lambda s: s.criterion_id)] == \
        [3, 3, None, 3, 3]
    assert page(client.get(f"/panel/{made.panel.id}")).count("Submitted") >= 1
    assert "1 of 2 reviewed" in page(client.get(f"/panel/{made.panel.id}"))
    # A submitted review cannot be changed.
    again = page(client.post(path, data={**answers, "submit": "1"}))
    assert "Submit review" not in again
    assert db.session.scalar(select(AuditEvent).filter_by(action="review.submitted"))


def test_a_conflict_removes_the_nomination_from_the_list(app, judging, sign_in):
    made = judging(2, 2)
    member = made.members[1]
    client = member_client(app, sign_in, member)
    target = made.nominations[0]
    path = f"/panel/{made.panel.id}/{target.reference}"
    refused = page(client.post(path, data={"conflicted": "yes", "kind": "other"}))
    assert "Say briefly what the conflict is" in refused
    response = client.post(path, data={"conflicted": "yes", "kind": "friend"})
    assert response.status_code == 302
    assert "You will not see" in page(client.get(response.headers["Location"]))
    assert target.reference not in page(client.get(response.headers["Location"]))
    assert client.get(path).status_code == 403
    declaration = db.session.scalar(select(Declaration))
    assert declaration.conflicted and declaration.kind.value == "friend"
    chair = member_client(app, sign_in, made.chair)
    overview = page(chair.get(f"/panel/{made.panel.id}/chair"))
    assert "Friend" in overview and made.members[1].name in overview


def test_blind_mode_hides_names_and_photos(app, judging, sign_in):
    from awards.nominations.services import photos
    from tests.routes import png_bytes
    made = judging(1, 2, blind=True, names=["Bernadette Blind"])
    target = made.nominations[0]
    # Photos are added while a nomination is a draft in an open cycle: go back there briefly.
    target.status = NominationStatus.DRAFT
    move_to(made.cycle, Phase.NOMINATING)
    photos.attach_photo(target, png_bytes(), "Bernadette")
    target.status = NominationStatus.IN_JUDGING
    move_to(made.cycle, Phase.JUDGING)
    client = member_client(app, sign_in, made.members[1])
    path = f"/panel/{made.panel.id}/{target.reference}"
    pages = [client.get(f"/panel/{made.panel.id}"), client.get(path)]
    client.post(path, data={"conflicted": "no"})
    pages.append(client.get(path))
    for response in pages:
        assert "Bernadette" not in page(response)
    assert "Nomination in" in page(pages[-1])
    assert client.get(f"{path}/photo").status_code == 404


def test_eligibility_round_then_scoring(app, judging, sign_in):
    made = judging(2, 3, eligibility_round=True)
    assert made.panel.stage is Stage.ELIGIBILITY
    out, kept = made.nominations
    for member in made.members:
        client = member_client(app, sign_in, member)
        for nomination, answer in ((out, "no"), (kept, "yes")):
            path = f"/panel/{made.panel.id}/{nomination.reference}"
            client.post(path, data={"conflicted": "no"})
            assert "meet the category" in page(client.get(path))
            assert client.post(path, data={"passes": answer, "submit": "1"}).status_code == 302
    chair = member_client(app, sign_in, made.chair)
    overview = page(chair.get(f"/panel/{made.panel.id}/chair"))
    assert "Close the eligibility check" in overview
    chair.post(f"/panel/{made.panel.id}/round", data={"action": "close-eligibility"})
    assert reload(made.panel).stage is Stage.SCORING
    member = member_client(app, sign_in, made.members[1])
    listing = page(member.get(f"/panel/{made.panel.id}"))
    assert kept.reference in listing and out.reference not in listing
    overview = page(chair.get(f"/panel/{made.panel.id}/chair"))
    assert "Left out at the eligibility check" in overview
    chair.post(f"/panel/{made.panel.id}/{out.reference}/eligibility", data={"passes": "1"})
    assert out.reference in page(member.get(f"/panel/{made.panel.id}"))


def test_chair_results_shortlist_final_round_and_decision(app, judging, review, sign_in):
    made = judging(3, 3, names=["Ann =cmd", "Bob", "Cy"])
    chair, second, third = made.members
    scores = {0: (5, 4), 1: (3, 3), 2: (3, 3)}
    for index, (a, b) in scores.items():
        review(second, made.nominations[index], a)
        review(third, made.nominations[index], b)
    client = member_client(app, sign_in, chair)
    overview = page(client.get(f"/panel/{made.panel.id}/chair"))
    # The chair has not declared yet; then, assigned every nomination (all members review),
    # they have not reviewed yet.
    assert "Declare whether you have a conflict to see its results" in overview
    for nomination in made.nominations:
        client.post(f"/panel/{made.panel.id}/{nomination.reference}",
                    data={"conflicted": "no"})
    overview = page(client.get(f"/panel/{made.panel.id}/chair"))
    assert "Submit your own review to see its results" in overview
    for nomination in made.nominations:
        review(chair, nomination, 3)
    overview = page(client.get(f"/panel/{made.panel.id}/chair"))
    assert "tie" in overview and "4.0" in overview
    normalised = page(client.get(f"/panel/{made.panel.id}/chair?normalised=1"))
    assert "What normalisation does" in normalised and "Normalised mean" in normalised
    export = client.get(f"/panel/{made.panel.id}/results.csv")
    assert export.mimetype == "text/csv"
    assert "attachment" in export.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True))))
    assert rows[0][:3] == ["Category", "Reference", "Nominee"]
    assert "'=cmd" not in rows[1][2] and rows[1][2] == "Ann =cmd"
    top = made.nominations[0]
    # Shortlist, then a final round on the shortlist only.
    refused = client.post(f"/panel/{made.panel.id}/round", data={"action": "open-final"})
    assert "Shortlist at least one nomination first" in page(client.get(refused.headers[
        "Location"]))
    client.post(f"/panel/{made.panel.id}/{top.reference}/shortlist", data={"shortlisted": "1"})
    client.post(f"/panel/{made.panel.id}/round", data={"action": "open-final"})
    assert reload(made.panel).stage is Stage.FINAL
    listing = page(member_client(app, sign_in, second).get(f"/panel/{made.panel.id}"))
    assert top.reference in listing and made.nominations[1].reference not in listing
    # The decision: the citation is drafted from the story and can be edited.
    decision_page = page(client.get(f"/panel/{made.panel.id}/{top.reference}/decision"))
    assert "Runs the Tuesday lunch club. They are less lonely." in decision_page
    response = client.post(f"/panel/{made.panel.id}/{top.reference}/decision", data={
        "outcome": "winner", "citation": "Ann keeps the lunch club going.",
        "rationale": "Unanimous.", "feedback": "Thank you for nominating Ann.",
        "feedback_to_nominee": "y"})
    assert response.status_code == 302
    decision = reload(top).decision
    assert decision.feedback_to_nominee is True
    assert decision.outcome.value == "winner" and decision.citation.startswith("Ann keeps")
    assert reload(top).status is NominationStatus.IN_JUDGING  # pending until published


def test_recusal_by_the_chair(app, judging, review, sign_in):
    made = judging(1, 3)
    target = made.nominations[0]
    review(made.members[1], target, 5)
    review(made.members[2], target, 1)
    client = member_client(app, sign_in, made.chair)
    # The chair declares before the decision page (and its recusal form) open.
    client.post(f"/panel/{made.panel.id}/{target.reference}", data={"conflicted": "no"})
    path = f"/panel/{made.panel.id}/{target.reference}/recuse"
    refused = page(client.post(path, data={"member_id": made.members[1].id, "reason": ""}))
    assert "Give a reason for the recusal" in refused
    client.post(path, data={"member_id": made.members[1].id, "reason": "Neighbour"})
    review(made.chair, target, 3)
    overview = page(client.get(f"/panel/{made.panel.id}/chair"))
    assert "Recused by the chair" in overview
    # Members 3 (1) and the chair (3): the recused member's 5 no longer counts.
    assert ">2.0<" in overview
    member = member_client(app, sign_in, made.members[1])
    assert member.get(f"/panel/{made.panel.id}/{target.reference}").status_code == 403


def count_queries(client, path):
    statements = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        response = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert response.status_code == 200
    return len(statements), response


def add_nominations(made, member, how_many, start=0):
    """Copy the first nomination `how_many` times, in judging and assigned to `member`
    (bulk rows: the services would take minutes for a thousand)."""
    model = made.nominations[0]
    rows = []
    for number in range(start, start + how_many):
        rows.append(Nomination(
            reference=f"BC27-Q{number:04d}", cycle_id=model.cycle_id,
            category_id=model.category_id, status=NominationStatus.IN_JUDGING,
            nominee_name=f"Bulk {number}", area_id=model.area_id,
            what_they_do="Helps.", who_benefits="Everyone.", difference_made="Lots."))
    db.session.add_all(rows)
    db.session.flush()
    db.session.add_all([Consent(nomination_id=n.id, status=ConsentStatus.ACCEPTED)
                        for n in rows])
    db.session.add_all([Assignment(member_id=member.id, nomination_id=n.id) for n in rows])
    db.session.commit()


def test_judge_dashboard_runs_the_same_queries_for_10_and_1000(app, judging, review, sign_in):
    made = judging(1, 2)
    member = made.members[1]
    review(member, made.nominations[0], 3)
    client = member_client(app, sign_in, member)
    add_nominations(made, member, 9)
    small, small_page = count_queries(client, f"/panel/{made.panel.id}")
    assert "1 of 10 reviewed" in page(small_page)
    add_nominations(made, member, 990, start=9)
    large, large_page = count_queries(client, f"/panel/{made.panel.id}")
    assert "1 of 1000 reviewed" in page(large_page)
    assert small == large, (small, large)


def test_the_results_page_and_csv_hide_the_same_rows_and_give_no_order_away(
        app, judging, review, sign_in):
    made = judging(3, 3, names=["Ann", "Bob", "Cy"])
    chair, second, third = made.members
    for nomination, score in zip(made.nominations, (5, 4, 1), strict=True):
        review(second, nomination, score)
        review(third, nomination, score)
    low = made.nominations[2]
    review(chair, low, 1)
    client = member_client(app, sign_in, chair)
    export = client.get(f"/panel/{made.panel.id}/results.csv")
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True))))
    header = rows[0]
    by_reference = {row[1]: row for row in rows[1:]}
    hidden = sorted(n.reference for n in made.nominations[:2])
    assert [row[1] for row in rows[1:]] == [low.reference, *hidden]
    for reference in hidden:
        row = by_reference[reference]
        assert row[header.index("Weighted mean")] == "" and row[header.index("Rank")] == ""
        assert row[header.index("Nominee")] == ""
    assert by_reference[low.reference][header.index("Rank")] == "1"
    overview = page(client.get(f"/panel/{made.panel.id}/chair"))
    positions = [overview.index(reference) for reference in [low.reference, *hidden]]
    assert positions == sorted(positions)
    assert overview.count("Declare whether you have a conflict to see its results.") == 2
    assert "5.0" not in overview and "4.0" not in overview


def blind_story(made):
    """The blind panel's nomination, naming William Jones ("Bill") in its story, statement."""
    target = made.nominations[0]
    target.what_they_do = "Bill runs the lunch club. Everyone knows William."
    target.who_benefits = "Older people who would be alone without Billy."
    target.difference_made = "Mr Jones makes sure nobody eats alone."
    statement = next(s for s in target.supporters if s.counts)
    statement.statement = "I have known Bill Jones for years."
    statement.relationship_to_nominee = "Bill's neighbour"
    db.session.commit()
    return target


def test_blind_mode_redacts_the_names_in_everything_the_panel_reads(
        app, judging, review, sign_in):
    from awards.panels.services import deliberation
    made = judging(1, 3, blind=True, names=["William Jones"])
    target = blind_story(made)
    chair, member, other = made.members
    review(other, target, 4, comment="Bill deserves it.")
    deliberation.add_comment(made.panel, target, "I think Billy is great.", author=other.user)
    db.session.commit()
    client = member_client(app, sign_in, member)
    path = f"/panel/{made.panel.id}/{target.reference}"
    # The declaration page shows the redacted story, so a member can say they recognise it.
    declaration = page(client.get(path))
    assert "The nominee runs the lunch club. Everyone knows the nominee." in declaration
    assert "I think I know who this is" in declaration
    for name in ("Bill", "William", "Jones"):
        assert name not in declaration, name
    client.post(path, data={"conflicted": "no"})
    review(member, target, 3)
    pages = [page(client.get(path))]
    assert "Older people who would be alone without the nominee." in pages[0]
    assert "I have known the nominee for years." in pages[0]
    assert "The nominee&#39;s neighbour" in pages[0] or "The nominee's neighbour" in pages[0]
    assert "I think the nominee is great." in pages[0]
    assert "The nominee deserves it." in pages[0]
    chair_client = member_client(app, sign_in, chair)
    chair_client.post(path, data={"conflicted": "no"})
    pages.append(page(chair_client.get(f"{path}/decision")))
    assert "The nominee runs the lunch club." in pages[1]  # the drafted citation too
    pages.append(page(chair_client.get(f"/panel/{made.panel.id}/chair")))
    for text in pages:
        for name in ("Bill", "William", "Jones"):
            assert name not in text, name


def test_a_blind_member_who_recognises_the_nominee_declares_a_conflict(app, judging, sign_in):
    made = judging(1, 2, blind=True, names=["William Jones"])
    target = blind_story(made)
    member = made.members[1]
    client = member_client(app, sign_in, member)
    path = f"/panel/{made.panel.id}/{target.reference}"
    response = client.post(path, data={"conflicted": "yes", "kind": "recognised"})
    assert response.status_code == 302
    declaration = db.session.scalar(select(Declaration))
    assert declaration.conflicted and declaration.kind.label == "I think I know who this is"
    assert client.get(path).status_code == 403


def test_a_panel_that_is_not_blind_does_not_offer_recognising_the_nominee(
        app, judging, sign_in):
    made = judging(1, 2, names=["William Jones"])
    client = member_client(app, sign_in, made.members[1])
    path = f"/panel/{made.panel.id}/{made.nominations[0].reference}"
    assert "I think I know who this is" not in page(client.get(path))
    refused = page(client.post(path, data={"conflicted": "yes", "kind": "recognised"}))
    assert "Not a valid choice" in refused
    assert db.session.scalar(select(Declaration)) is None


def _list_rows(text):
    """The judge's list as [(link, reference, name, category, progress)], tags removed."""
    import re
    rows = re.findall(r'<tr>\s*<td><a href="([^"]+)">([^<]+)</a>(.*?)</td>\s*<td>(.*?)</td>'
                      r'\s*<td>(.*?)</td>\s*</tr>', text, re.S)
    return [(link, reference, name.removeprefix(" – "), category, re.sub(r"<[^>]+>", "", state))
            for link, reference, name, category, state in rows]


def test_the_judges_list_shows_each_nominations_name_category_and_progress(app, judging,
                                                                          sign_in):
    """Declare first, not started, draft saved, submitted: each row links to the nomination
    and names the nominee once declared (the rows are light rows since issue 15)."""
    made = judging(4, 2, names=["Ann Undeclared", "Ben Declared", "Cat Draft", "Dan Done"])
    member = made.members[1]
    client = member_client(app, sign_in, member)
    undeclared, declared, drafted, done = made.nominations
    criteria = criteria_of(made.category)
    for nomination in (declared, drafted, done):
        path = f"/panel/{made.panel.id}/{nomination.reference}"
        assert client.post(path, data={"conflicted": "no"}).status_code == 302
    assert client.post(f"/panel/{made.panel.id}/{drafted.reference}",
                       data={"draft": "1", "overall_comment": "Half way"}).status_code == 302
    answers = {f"score_{c.id}": "3" for c in criteria}
    assert client.post(f"/panel/{made.panel.id}/{done.reference}",
                       data={**answers, "submit": "1"}).status_code == 302

    text = page(client.get(f"/panel/{made.panel.id}"))

    category = made.category.name
    expected = {undeclared.reference: ("", "Declare first"),
                declared.reference: ("Ben Declared", "Not started"),
                drafted.reference: ("Cat Draft", "Draft saved"),
                done.reference: ("Dan Done", "Submitted")}
    assert sorted(_list_rows(text)) == sorted(
        (f"/panel/{made.panel.id}/{reference}", reference, name, category, state)
        for reference, (name, state) in expected.items())
    assert "1 of 4 reviewed" in text
    next_up = min(reference for reference in expected if reference != done.reference)
    assert f'class="button" href="/panel/{made.panel.id}/{next_up}"' in text


def test_a_blind_panels_list_names_the_category_and_area_not_the_nominee(app, judging,
                                                                         sign_in):
    made = judging(2, 2, blind=True, names=["Bernadette Blind", "Bertie Blind"])
    client = member_client(app, sign_in, made.members[1])
    first, second = made.nominations
    client.post(f"/panel/{made.panel.id}/{first.reference}", data={"conflicted": "no"})

    text = page(client.get(f"/panel/{made.panel.id}"))

    assert "Bernadette" not in text and "Bertie" not in text
    area = first.area.name
    rows = dict((reference, (name, state)) for _l, reference, name, _c, state
                in _list_rows(text))
    assert rows == {first.reference: (f"Nomination in {made.category.name}, {area}",
                                      "Not started"),
                    second.reference: ("", "Declare first")}
