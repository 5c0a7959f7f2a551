"""Staff find their way: the header's Judging and Admin links, the admin index, and the
publication screen showing each winner as the public will see them."""
import re

from awards.extensions import db
from awards.factories import nominations as build
from awards.nominations.enums import NameDisplay, Phase
from tests.nominations.conftest import move_to, page
from tests.panels.conftest import decide


def header(text):
    """The site header's navigation."""
    return re.search(r'<nav class="site-nav".*?</nav>', text, re.S).group(0)


def nav_links(text):
    """(href, words) of every link in the header's navigation."""
    return [(href, re.sub(r"<[^>]+>", "", words).strip())
            for href, words in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', header(text),
                                          re.S)]


def test_header_shows_judging_to_panel_members_and_admin_to_admins(
        app, client, judging, make_user, sign_in):
    j = judging(1, 2)
    resident = make_user(name="Rita Resident")
    clients = {name: app.test_client() for name in ("member", "chair", "admin", "resident")}
    sign_in(j.users[1], target=clients["member"])
    sign_in(j.chair.user, target=clients["chair"])
    sign_in(j.admin, target=clients["admin"])
    sign_in(resident, target=clients["resident"])

    links = {name: nav_links(page(c.get("/about"))) for name, c in clients.items()}

    for name in ("member", "chair"):
        assert ("/panel", "Judging") in links[name], name
        assert not any(words == "Admin" for _href, words in links[name]), name
    assert ("/admin", "Admin") in links["admin"]
    assert not any(words == "Judging" for _href, words in links["admin"])
    assert not any(words in {"Judging", "Admin"} for _href, words in links["resident"])
    # The current section is marked.
    assert re.search(r'<a href="/panel" aria-current="page">Judging</a>',
                     header(page(clients["member"].get("/panel/" + str(j.panel.id)))))
    assert re.search(r'<a href="/admin" aria-current="page">Admin</a>',
                     header(page(clients["admin"].get(f"/admin/cycles/{j.cycle.id}/panels"))))


def test_admin_index_links_every_admin_area_and_each_cycles_pages(
        client, judging, sign_in, make_cycle):
    j = judging(1, 1)
    other = make_cycle(name="Awards Next Year")
    sign_in(j.admin)

    text = page(client.get("/admin/setup"))

    assert "<h1>Admin</h1>" in text
    for href in ("/admin/cycles", "/admin/nominations", "/admin/thanks", "/admin/areas",
                 "/admin/cycles/new"):
        assert f'href="{href}"' in text, href
    for cycle in (j.cycle, other):
        for href in (f"/admin/cycles/{cycle.id}", f"/admin/cycles/{cycle.id}/panels",
                     f"/admin/cycles/{cycle.id}/publish",
                     f"/admin/nominations/cycle/{cycle.id}/judging",
                     f"/admin/nominations?cycle={cycle.id}"):
            assert f'href="{href}"' in text, href
        assert cycle.name in text


def test_admin_index_is_for_admins_only(app, client, judging, sign_in, make_user):
    j = judging(1, 1)
    anonymous = app.test_client().get("/admin")
    sign_in(j.chair.user)

    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/account/sign-in?next=")
    assert client.get("/admin").status_code == 403


def test_publish_shows_each_winner_as_the_public_will_see_them(client, judging, sign_in):
    j = judging(3, 2, names=["Priya Raman", "Tom Okafor", "Ann Lee"])
    choices = {0: NameDisplay.FIRST_INITIAL, 1: NameDisplay.FULL, 2: NameDisplay.ANONYMOUS}
    for number, display in choices.items():
        build.give_consent(j.nominations[number], name_display=display)
    for nomination in j.nominations:
        decide(j.panel, nomination, "winner", j.chair.user)
    move_to(j.cycle, Phase.ANNOUNCED)
    db.session.commit()
    sign_in(j.admin)

    text = page(client.get(f"/admin/cycles/{j.cycle.id}/publish"))

    assert "<th scope=\"col\">Shown publicly as</th>" in text
    rows = {reference: re.sub(r"\s+", " ", row)
            for reference, row in re.findall(
                r'<tr>\s*<td><a href="/admin/nominations/([^"]+)">.*?</a></td>(.*?)</tr>',
                text, re.S)}
    shown = {n.nominee_name: rows[n.reference] for n in j.nominations}
    assert "<td>Priya R.</td>" in shown["Priya Raman"]
    assert "<td>Tom Okafor</td>" in shown["Tom Okafor"]
    assert "<td>A Big Citizen</td>" in shown["Ann Lee"]
