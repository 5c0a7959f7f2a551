"""The admin dashboard (/admin): the cycle's timeline, what needs attention with counts that
match planted data, server-drawn charts with their numbers, and coverage of the areas."""
import re
from html import unescape

import pytest
from sqlalchemy import select

from awards import factories as f
from awards.accounts.enums import Role
from awards.admin import charts
from awards.admin.charts import bar_chart
from awards.core.mail.models import OutboxMessage, OutboxStatus
from awards.extensions import db
from awards.nominations.enums import ConsentStatus, Phase, ReceivedVia
from awards.nominations.models import Consent, Nomination
from awards.public.models import ThankYou

S = f.S
ATTENTION = re.compile(r'<li class="attention__item( attention__item--due)?">\s*'
                       r'<span class="attention__what">([^<]+)</span>\s*<a href="([^"]+)">')


def page(response):
    assert response.status_code == 200
    return response.get_data(as_text=True)


def attention(text):
    """{what: (count, link)} of the "needs attention" list; an item with a count is marked."""
    found = {}
    for due, what, href in ATTENTION.findall(text):
        count = int(what.split()[0])
        assert bool(due) == (count > 0), what
        found[unescape(what)] = (count, unescape(href))
    return found


def figure(text, chart_id):
    """The HTML of one chart's figure."""
    match = re.search(rf'<figure class="chart" aria-labelledby="{chart_id}-caption">.*?</figure>',
                      text, re.S)
    assert match, chart_id
    return match.group(0)


def table_rows(html):
    """(label, number) rows of a chart's table, in order."""
    return [(unescape(label), int(value)) for label, value in
            re.findall(r'<tr><th scope="row">([^<]*)</th><td>(\d+)</td></tr>', html)]


def failed_mail(number):
    for n in range(number):
        db.session.add(OutboxMessage(
            kind="accounts/verify_email", recipient=f"gone{n}@example.com", subject="Hello",
            text_body="secret body", html_body="<p>secret body</p>",
            message_id=f"<gone{n}@example.com>", status=OutboxStatus.FAILED, attempts=8,
            last_error="550 No such user"))


@pytest.fixture
def scheme(admin):
    """Last year's cycle (Sam nominated in Abbey); this year's, open, in three areas:
    Abbey 2 waiting to be checked (one by phone through a helper), Brook 2 eligible (one
    nominee said yes, one has not answered), Castle none; a draft and a spam one that do not
    count; a message of thanks; two failed mails."""
    abbey, brook, castle = f.area("Abbey"), f.area("Brook"), f.area("Castle")
    last = f.cycle(name="Awards 2025")
    f.nomination(last, S.SUBMITTED, area=abbey, nominator_email="sam@example.com")
    f.move_to(last, Phase.ANNOUNCED)
    this = f.cycle(name="Awards 2026", categories=("Good Neighbour", "Young Hero"))
    helper = f.user(name="Hal Helper", roles=[Role.HELPER])
    first = f.nomination(this, S.SUBMITTED, area=abbey, nominator_email="sam@example.com")
    f.nomination(this, S.SUBMITTED, area=abbey, entered_by=helper, actor=helper,
                 via=ReceivedVia.PHONE, nominator_email="", nominator_name="Pat Paper")
    f.nomination(this, S.ELIGIBLE, area=brook, admin=admin, statements=1, consent=True,
                 category=this.categories[1], nominator_email="new@example.com")
    f.nomination(this, S.ELIGIBLE, area=brook, admin=admin, category=this.categories[1],
                 nominee_name="Dev Patel", nominee_email="dev@example.com")
    f.nomination(this, S.DRAFT, area=castle)
    f.nomination(this, S.SPAM, area=castle, nominator_email="spam@example.com")
    db.session.add(ThankYou(reference="TY1", nomination_id=first.id, message="Thanks!"))
    failed_mail(2)
    db.session.commit()
    return this


def test_dashboard_counts_match_the_planted_data(client, scheme):
    text = page(client.get("/admin"))

    assert attention(text) == {
        "2 nominations waiting to be checked":
            (2, f"/admin/nominations?cycle={scheme.id}&status=submitted"),
        # Asked once checked (eligible): the two waiting to be checked have not been asked.
        "1 nominee has not answered yet": (1, f"/admin/nominations/cycle/{scheme.id}/judging"),
        "0 panels are short of reviews": (0, f"/admin/cycles/{scheme.id}/panels"),
        "1 message of thanks to check": (1, "/admin/thanks"),
        "2 e-mails could not be sent": (2, "/admin/mail"),
    }


def test_dashboard_shows_the_cycle_on_its_timeline(client, scheme):
    text = page(client.get("/admin"))

    assert '<h2 id="cycle-title">Awards 2026 <span class="tag">Nominations open</span></h2>' \
        in text
    stages = re.findall(r'<li class="timeline__stage[^"]*"( aria-current="step")?>\s*'
                        r'<span class="timeline__phase">([^<]+)', text)
    assert [(bool(current), phase.strip()) for current, phase in stages] == [
        (True, "Nominations open"), (False, "Judging"), (False, "Results being prepared"),
        (False, "Winners announced")]
    close = f"{scheme.nominations_close.day} {scheme.nominations_close:%B %Y}"
    assert close in text


def test_dashboard_charts_have_title_description_and_table(client, scheme):
    text = page(client.get("/admin"))

    for chart_id, title in (("chart-weeks", "Nominations each week"),
                            ("chart-categories", "Nominations by category"),
                            ("chart-areas", "Nominations by area")):
        html = figure(text, chart_id)
        assert f'<title id="{chart_id}-title">{title}</title>' in html
        assert re.search(rf'<desc id="{chart_id}-desc">[^<]+</desc>', html)
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in html
        assert f'<caption id="{chart_id}-table-caption">{title}: the numbers</caption>' in html
        assert '<th scope="col">' in html
        assert "<script" not in html
    assert table_rows(figure(text, "chart-categories")) == [("Good Neighbour", 2),
                                                            ("Young Hero", 2)]
    # Every area, alphabetically (never ranked), the empty one too.
    assert table_rows(figure(text, "chart-areas")) == [("Abbey", 2), ("Brook", 2),
                                                       ("Castle", 0)]
    assert sum(n for _week, n in table_rows(figure(text, "chart-weeks"))) == 4
    # One bar per row; the longest bar is the largest number.
    areas = figure(text, "chart-areas")
    widths = [int(w) for w in re.findall(r'<rect [^>]*width="(\d+)"', areas)]
    assert len(widths) == 3 and widths[0] == widths[1] == max(widths) > 0 and widths[2] == 0


def test_dashboard_coverage_lists_areas_with_few_or_no_nominations(client, scheme):
    text = page(client.get("/admin"))

    thin = re.search(r'<table class="table" id="thin-areas">.*?</table>', text, re.S).group(0)
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td><td>(\d+)</td></tr>',
                      thin)
    # Abbey has 2 this year and 1 last: 3 is more than a few. Alphabetical, zero included.
    assert rows == [("Brook", "2", "0"), ("Castle", "0", "0")]
    assert "Awards 2025" in thin and "Awards 2026" in thin
    # Sam nominated last year too; new@example.com did not (the helper's has no address).
    assert "1 person who had not nominated in an earlier cycle" in text
    assert "<li>By phone: 1</li>" in text


def test_dashboard_counts_panels_short_of_reviews(client, admin, make_user):
    cycle = f.cycle(name="Judging Awards")
    nomination = f.nomination(cycle, S.ELIGIBLE, admin=admin, statements=1, consent=True)
    f.start_judging(cycle, admin)
    chair, member = make_user(name="Chris Chair"), make_user(name="Mo Member")
    panel = f.panel(cycle, members=[chair, member])
    f.review(panel.members[0], nomination)
    db.session.commit()

    assert attention(page(client.get("/admin")))["1 panel is short of reviews"][0] == 1

    f.review(panel.members[1], nomination)
    db.session.commit()
    assert "0 panels are short of reviews" in attention(page(client.get("/admin")))


def test_dashboard_without_a_cycle(client, admin):
    text = page(client.get("/admin"))

    assert "There are no award cycles yet." in text
    assert attention(text) == {"0 messages of thanks to check": (0, "/admin/thanks"),
                               "0 e-mails could not be sent": (0, "/admin/mail")}


def test_dashboard_has_the_admin_navigation(client, admin):
    text = page(client.get("/admin"))

    nav = re.search(r'<nav class="admin-nav" aria-label="Admin">.*?</nav>', text, re.S).group(0)
    assert re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav) == [
        ("/admin", "Dashboard"), ("/admin/setup", "Cycles and areas"),
        ("/admin/nominations", "Nominations"), ("/admin/insight", "What volunteers tell us"),
        ("/admin/newsletter", "Newsletter"), ("/admin/users", "Users and roles"),
        ("/admin/privacy", "Data protection"),
        ("/admin/audit", "Audit log"), ("/admin/mail", "Mail")]
    assert '<a href="/admin" aria-current="page">Dashboard</a>' in nav
    # The cycles, areas and panels' own index is one link away.
    assert 'href="/admin/setup"' in text or "There are no award cycles yet." in text


@pytest.mark.parametrize("roles", [(), (Role.HELPER,), (Role.PANEL_MEMBER,)])
def test_dashboard_is_for_admins_only(app, client, make_user, sign_in, roles):
    anonymous = app.test_client().get("/admin")
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"] == "/account/sign-in?next=%2Fadmin"
    sign_in(make_user(roles=roles))
    assert client.get("/admin").status_code == 403


def test_dashboard_consent_count_is_of_nominees_asked_and_not_answered(client, scheme):
    # One of the two eligible nominees said yes; the other was asked and has not answered.
    answers = db.session.execute(select(Nomination.status, Consent.status).join(Consent).where(
        Nomination.cycle_id == scheme.id, Nomination.status.in_((S.SUBMITTED, S.ELIGIBLE)))
        .order_by(Nomination.id)).all()
    assert answers == [(S.SUBMITTED, ConsentStatus.PENDING), (S.SUBMITTED, ConsentStatus.PENDING),
                       (S.ELIGIBLE, ConsentStatus.ACCEPTED), (S.ELIGIBLE, ConsentStatus.PENDING)]
    assert attention(page(client.get("/admin")))["1 nominee has not answered yet"][0] == 1


# --- the chart helper -------------------------------------------------------------------------

def test_bar_chart_scales_bars_to_the_largest_number():
    chart = bar_chart([("A", 4), ("B", 2), ("C", 0)])

    assert [(bar.label, bar.count) for bar in chart.bars] == [("A", 4), ("B", 2), ("C", 0)]
    longest = chart.bars[0].width
    assert longest == chart.width - chart.label_width - charts.VALUE_ROOM
    assert chart.bars[1].width == longest // 2 and chart.bars[2].width == 0
    assert [bar.y for bar in chart.bars] == sorted({bar.y for bar in chart.bars})
    assert chart.height == 3 * charts.ROW and chart.total == 6 and not chart.is_empty


def test_bar_chart_of_nothing_is_empty_and_never_divides_by_zero():
    assert bar_chart([]).is_empty and bar_chart([]).height == charts.ROW
    assert [bar.width for bar in bar_chart([("A", 0), ("B", 0)]).bars] == [0, 0]
    assert bar_chart([("A", -3)]).bars[0].count == 0


def test_bar_chart_shortens_long_labels_in_the_drawing_only():
    label = "Castle Hill and Riverside North"
    bar = bar_chart([(label, 1)]).bars[0]

    assert bar.label == label
    assert len(bar.short_label) == charts.MAX_LABEL and bar.short_label.endswith("…")
