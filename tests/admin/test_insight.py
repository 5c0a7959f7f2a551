"""What volunteers tell us: the insight report at /admin/insight, its suppression of small
groups (and of the numbers that would give them away), the review of nominees' words, the
met-preference counts and the audited CSV."""
import csv
import html
import io
import re
from itertools import count

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from awards import factories
from awards.admin.services.insight import (
    ALL,
    build_report,
    neutralise,
    report_csv,
    report_tables,
    review_support,
    suppress_row,
)
from awards.core.audit import AuditEvent
from awards.extensions import db
from awards.nominations.enums import RecognitionKind
from awards.nominations.models import SupportReview
from awards.nominations.services.recognition import record_recognition

FEWER = "fewer than 5"
_emails = count(1)


@pytest.fixture
def scheme():
    """A cycle and two areas, Northgate and Southbank."""
    cycle = factories.cycle(name="Insight Awards")
    north, south = factories.area("Northgate"), factories.area("Southbank")
    db.session.commit()
    return cycle, north, south


def nominees(cycle, area, number, recognition=(), support="", given=()):
    """`number` nominees in `area` who said yes with these answers, each given `given`."""
    made = []
    for _ in range(number):
        n = next(_emails)
        nomination = factories.nomination(
            cycle, factories.S.SUBMITTED, area=area, nominee_name=f"Nominee {n}",
            nominee_email=f"nominee{n}@example.com",
            consent={"recognition": list(recognition), "support_needed": support})
        for kind in given:
            record_recognition(nomination, kind=kind)
        made.append(nomination)
    db.session.commit()
    return made


def table(tables, caption_start):
    return next(t for t in tables if t.caption.startswith(caption_start))


def row_of(tables, caption_start, label):
    return next(r for r in table(tables, caption_start).rows if r[0] == label)


def page_tables(body):
    """Every table of a page as rows of cell texts: [caption], headers, rows."""
    rows = []
    for match in re.finditer(r"<table.*?</table>", body, re.S):
        part = match.group(0)
        caption = re.search(r"<caption>(.*?)</caption>", part, re.S).group(1)
        rows.append([html.unescape(caption)])
        for tr in re.findall(r"<tr>(.*?)</tr>", part, re.S):
            rows.append([html.unescape(c.strip()) for c in
                         re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)])
    return rows


# --- suppression -------------------------------------------------------------------------------

def test_a_count_of_4_is_fewer_than_5_and_5_is_shown():
    cells, total = suppress_row({"a": 4, "b": 0}, 4)
    assert (cells["a"].text, cells["b"].text, total.text) == (FEWER, "0", FEWER)
    cells, total = suppress_row({"a": 5, "b": 0}, 5)
    assert (cells["a"].text, total.text) == ("5", "5")


def test_one_small_cell_beside_a_total_hides_the_smallest_other_cell_too():
    cells, total = suppress_row({"a": 3, "b": 9, "c": 6, "d": 0}, 18)
    assert [cells[k].text for k in "abcd"] == [FEWER, "9", "not shown", "0"]
    assert total.text == "18"
    # Nothing hidden can be worked out: two unknowns, one sum.
    assert sum(c.hidden for c in [*cells.values(), total]) == 2


def test_two_small_cells_need_no_other_and_a_small_total_hides_with_its_cell():
    cells, total = suppress_row({"a": 3, "b": 2, "c": 7}, 12)
    assert [cells[k].text for k in "abc"] == [FEWER, FEWER, "7"] and total.text == "12"
    cells, total = suppress_row({"a": 3, "b": 0}, 3)
    assert [cells["a"].text, cells["b"].text, total.text] == [FEWER, "0", FEWER]


@given(st.dictionaries(st.sampled_from("abcdef"), st.integers(0, 12), min_size=1))
@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_row_ever_has_exactly_one_hidden_number_or_a_small_one_shown(counts):
    cells, total = suppress_row(counts, sum(counts.values()))
    everything = [*cells.values(), total]
    assert sum(c.hidden for c in everything) != 1
    assert all(c.hidden for c in everything if 0 < c.count < 5)


# --- the report --------------------------------------------------------------------------------

def test_report_suppresses_small_groups_per_area_and_the_cell_that_would_give_them_away(scheme):
    cycle, north, south = scheme
    nominees(cycle, north, 4, recognition=["grant"])
    nominees(cycle, south, 5, recognition=["grant"])
    nominees(cycle, south, 3, recognition=["private_thanks"])
    report = build_report(cycle)
    everyone = report_tables(report)
    assert row_of(everyone, "Nominees who said yes", "Nominees who said yes")[1] == "12"
    grant = "A small grant or equipment for my cause"
    # 4 in Northgate, 5 in Southbank, 9 in all: Southbank's 5 is hidden too, else 9 - 5 = 4.
    assert row_of(everyone, "How nominees would like", grant)[1] == "9"
    north_tables = report_tables(report, north.id)
    south_tables = report_tables(report, south.id)
    assert row_of(north_tables, "How nominees would like", grant)[1] == FEWER
    assert row_of(south_tables, "How nominees would like", grant)[1] == "not shown"
    # Northgate has fewer than 5 nominees: nothing is said of them, not even a 0.
    assert row_of(north_tables, "Nominees who said yes", "Nominees who said yes")[1] == FEWER
    assert row_of(north_tables, "How nominees would like", "A private thank-you")[1] == \
        "not shown"
    # Southbank's 3 private thank-yous are the whole cycle's: both hidden.
    assert row_of(south_tables, "How nominees would like", "A private thank-you")[1] == FEWER
    assert row_of(everyone, "How nominees would like", "A private thank-you")[1] == FEWER


def test_the_page_says_fewer_than_5_for_4_and_shows_5(scheme, admin, client):
    cycle, north, _south = scheme
    nominees(cycle, north, 4, recognition=["grant"])
    nominees(cycle, north, 2, recognition=["newsletter"])
    grant = "A small grant or equipment for my cause"
    for area in ("", north.id):
        tables = page_tables(client.get(f"/admin/insight?cycle={cycle.id}&area={area}")
                             .get_data(as_text=True))
        assert [grant, FEWER] in tables and ["Nominees who said yes", "6"] in tables
    nominees(cycle, north, 1, recognition=["grant"])
    for area in ("", north.id):
        tables = page_tables(client.get(f"/admin/insight?cycle={cycle.id}&area={area}")
                             .get_data(as_text=True))
        assert [grant, "5"] in tables and ["Nominees who said yes", "7"] in tables


def test_met_preferences_are_counted_exactly(scheme):
    cycle, north, south = scheme
    nominees(cycle, north, 19, recognition=["private_thanks"],
             given=[RecognitionKind.PRIVATE_THANKS])
    nominees(cycle, north, 6, recognition=["private_thanks"], given=[RecognitionKind.GRANT])
    # A certificate is a thank-you too; a grant meets "grant", and nobody asked for press.
    nominees(cycle, south, 5, recognition=["private_thanks", "grant"],
             given=[RecognitionKind.CERTIFICATE, RecognitionKind.EQUIPMENT])
    tables = report_tables(build_report(cycle))
    assert row_of(tables, "How well", "A private thank-you")[1:] == ["30", "24"]
    assert row_of(tables, "How well", "A small grant or equipment for my cause")[1:] == \
        ["5", "5"]
    assert row_of(tables, "How well", "Local press or an awards ceremony")[1:] == ["0", "0"]
    assert row_of(tables, "What nominees were given", "A grant")[1] == "6"
    assert row_of(tables, "What nominees were given", "A certificate")[1] == "5"


def test_met_count_is_hidden_when_those_who_did_not_get_it_are_fewer_than_5(scheme):
    cycle, north, _south = scheme
    nominees(cycle, north, 8, recognition=["private_thanks"],
             given=[RecognitionKind.PRIVATE_THANKS])
    nominees(cycle, north, 2, recognition=["private_thanks"])
    row = row_of(report_tables(build_report(cycle)), "How well", "A private thank-you")
    assert row[1] == "10" and row[2] != "8"  # 10 - 8 would tell of the 2 who did not


def test_a_nominee_asked_once_for_two_nominations_counts_once(scheme):
    cycle, north, _south = scheme
    first, second = nominees(cycle, north, 2, recognition=["grant"])
    second.consent.asked_with = first.consent
    nominees(cycle, north, 5, recognition=["newsletter"])
    record_recognition(second, kind=RecognitionKind.GRANT)
    db.session.commit()
    report = build_report(cycle)
    assert report.answered.at(ALL).count == 6
    assert dict((w, got.at(ALL).count) for w, _a, got in report.met)[
        next(w for w, _a, _g in report.met if w.value == "grant")] == 1


def test_words_are_shown_only_once_reviewed_and_only_the_reviewed_words(scheme, admin, client):
    cycle, north, _south = scheme
    made = nominees(cycle, north, 5, support="Storage for the kit at Ivy Lane hall")
    page = client.get(f"/admin/insight?cycle={cycle.id}").get_data(as_text=True)
    assert "Ivy Lane" not in page and "Storage for the kit" not in page
    assert "5 answers waiting for review" in page
    queue = client.get(f"/admin/insight/support?cycle={cycle.id}").get_data(as_text=True)
    assert "Storage for the kit at Ivy Lane hall" in queue
    consent = made[0].consent
    response = client.post(f"/admin/insight/support/{consent.id}", data={
        "decision": "show", "shown_text": "Storage for the kit"})
    assert response.status_code == 302
    review = db.session.scalar(select(SupportReview).filter_by(consent_id=consent.id))
    assert review.reviewed_by_id == admin.id and review.reviewed_at is not None
    event = db.session.scalar(select(AuditEvent).filter_by(action="insight.support_reviewed"))
    assert (event.actor_id, event.object_id, event.to_state) == (admin.id, made[0].id, "shown")
    page = client.get(f"/admin/insight?cycle={cycle.id}").get_data(as_text=True)
    assert "<p class=\"prewrap\">Storage for the kit</p>" in page and "Ivy Lane" not in page
    assert "4 answers waiting for review" in page
    # Per area, never.
    area_page = client.get(f"/admin/insight?cycle={cycle.id}&area={north.id}")
    assert "Storage for the kit</p>" not in area_page.get_data(as_text=True)
    # A changed answer is no longer reviewed: its words go until reviewed again.
    factories.give_consent(made[0], support_needed="Something new")
    db.session.commit()
    page = client.get(f"/admin/insight?cycle={cycle.id}").get_data(as_text=True)
    assert "Storage for the kit</p>" not in page


def test_leaving_an_answer_out_shows_nothing_of_it(scheme, admin, client):
    cycle, north, _south = scheme
    made = nominees(cycle, north, 5, support="Ask Jo at number 4")
    for nomination in made:
        response = client.post(f"/admin/insight/support/{nomination.consent.id}",
                               data={"decision": "leave_out", "shown_text": "Ask Jo"})
        assert response.status_code == 302
    page = client.get(f"/admin/insight?cycle={cycle.id}").get_data(as_text=True)
    assert "Ask Jo" not in page and "0 answers waiting for review" in page


def test_words_of_fewer_than_5_nominees_are_never_shown(scheme):
    cycle, north, _south = scheme
    made = nominees(cycle, north, 4, support="A van")
    review_support(made[0].consent, shown_text="A van")
    db.session.commit()
    assert build_report(cycle).quotes == []


def test_review_needs_words_to_show_or_a_choice_to_leave_out(scheme, admin, client):
    cycle, north, _south = scheme
    consent = nominees(cycle, north, 1, support="A van")[0].consent
    response = client.post(f"/admin/insight/support/{consent.id}",
                           data={"decision": "show", "shown_text": "  "})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter the words to show, or choose to leave them out" in body
    assert db.session.scalar(select(SupportReview)) is None


def test_csv_equals_the_page_and_the_download_is_audited(scheme, admin, client):
    cycle, north, south = scheme
    nominees(cycle, north, 4, recognition=["grant"])
    nominees(cycle, south, 6, recognition=["grant", "newsletter"], support="=HYPERLINK(1)",
             given=[RecognitionKind.NEWSLETTER])
    for scope in ("", str(south.id)):
        path = f"/admin/insight?cycle={cycle.id}&area={scope}"
        body = client.get(path).get_data(as_text=True)
        export = client.post(path)
        assert export.mimetype == "text/csv"
        assert "attachment" in export.headers["Content-Disposition"]
        rows = [r for r in csv.reader(io.StringIO(export.get_data(as_text=True))) if r]
        assert rows[1:] == page_tables(body)  # after the cycle's name and the scope's
        assert FEWER in body or scope
    events = db.session.scalars(select(AuditEvent).filter_by(action="insight.downloaded")
                                .order_by(AuditEvent.id)).all()
    assert [(e.actor_id, e.object_type, e.object_id, e.details["area"]) for e in events] == [
        (admin.id, "award_cycle", cycle.id, None), (admin.id, "award_cycle", cycle.id,
                                                     str(south.id))]


def test_csv_cells_that_could_start_a_formula_are_neutralised(scheme):
    cycle, north, _south = scheme
    made = nominees(cycle, north, 5, support="x")
    for prefix, nomination in zip("=+-@x", made, strict=True):
        review_support(nomination.consent, shown_text=f"{prefix}SUM(A1)")
    db.session.commit()
    rows = list(csv.reader(io.StringIO(report_csv(build_report(cycle)))))
    quotes = [r[0] for r in rows if r and r[0].endswith("SUM(A1)")]
    assert sorted(quotes) == ["'+SUM(A1)", "'-SUM(A1)", "'=SUM(A1)", "'@SUM(A1)", "xSUM(A1)"]
    assert neutralise("\rx") == "'\rx" and neutralise("\tx") == "'\tx"
    assert neutralise("12") == "12"


def test_the_report_says_so_when_there_is_no_cycle(admin, client):
    body = client.get("/admin/insight").get_data(as_text=True)
    assert "There are no award cycles yet." in body


# --- hostile input -----------------------------------------------------------------------------

MARK = "<i class=zz>"  # never on a page unless an input was echoed unescaped
HOSTILE = st.one_of(st.text(max_size=300), st.text(max_size=100).map(lambda t: MARK + t),
                    st.sampled_from((
                        f"{MARK}<script>alert(1)</script>", f"\"'>{MARK}", "=cmd|' /C calc'!A0",
                        "9" * 40, "-1", "2026-02-30", "../../etc/passwd", "show", "leave_out")))


@pytest.mark.parametrize("target", ["review", "report"])
def test_hostile_input_gives_no_server_error_and_no_unescaped_echo(scheme, admin, client,
                                                                   target):
    cycle, north, _south = scheme
    made = nominees(cycle, north, 5, support="A van")
    consent = made[0].consent
    path = (f"/admin/insight/support/{consent.id}" if target == "review"
            else "/admin/insight")

    @settings(max_examples=40, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(decision=HOSTILE, text=HOSTILE, area=HOSTILE, cycle_arg=HOSTILE)
    def run(decision, text, area, cycle_arg):
        response = client.post(path, query_string={"area": area, "cycle": cycle_arg},
                               data={"decision": decision, "shown_text": text})
        assert response.status_code < 500
        assert MARK not in response.get_data(as_text=True)

    run()
    # Whatever was kept is shown escaped wherever it appears afterwards.
    review_support(consent, shown_text=f"{MARK}<script>alert(1)</script>")
    db.session.commit()
    for page_path, shown in ((f"/admin/insight?cycle={cycle.id}", True),
                             (f"/admin/insight/support/{consent.id}", True),
                             (f"/admin/insight/support?cycle={cycle.id}", False)):
        body = client.get(page_path).get_data(as_text=True)
        assert MARK not in body, page_path
        assert ("&lt;i class=zz&gt;&lt;script&gt;" in body) is shown, page_path


def test_the_demo_makes_the_report_alive(admin, client):
    from awards.admin.demo import PUBLISHED_SLUG, load_demo_data
    from awards.nominations.queries import cycle_by_slug

    load_demo_data()
    db.session.commit()
    cycle = cycle_by_slug(PUBLISHED_SLUG)
    body = client.get(f"/admin/insight?cycle={cycle.id}").get_data(as_text=True)
    tables = page_tables(body)
    assert ["Nominees who said yes", "9"] in tables
    assert ["Hearing about the difference I made", "6"] in tables
    assert ["Hearing about the difference I made", "6", "6"] in tables  # asked, got
    assert ["A public page about what I do", FEWER] in tables
    assert "A second oven so we can cook for more people." in body
    assert "Alf Turner" not in body and "New goals" not in body
    assert "2 answers waiting for review" in body
