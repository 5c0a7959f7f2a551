"""Every endpoint has an access policy, and each policy holds; the dev tools exist only in dev."""
from urllib.parse import parse_qs, urlsplit

import pytest

from awards.accounts.enums import Role
from awards.accounts.models import TwoFactor
from awards.core.db import utcnow
from awards.core.links import make_link_token, read_link_token
from awards.core.mail.compose import queue_email
from awards.extensions import db
from awards.nominations.enums import AgeBand, HowLong, NominationStatus, NomineeKind, ReceivedVia
from awards.nominations.models import Nomination, RecognitionGiven
from awards.nominations.services import journey, photos, supporters
from awards.panels.services.rubric import criteria_of
from tests.routes import LINK_PURPOSES, path_for, paths_for, png_bytes, route_objects, rules_for

PUBLIC = "public"  # anyone, signed in or not, sees the page
ANY = "anonymous-or-any"  # account entry pages: no sign-in needed, signed-in users allowed
SIGNED_IN = "signed-in"
ADMIN = "role:admin"
HELPER_OR_ADMIN = "role:helper-or-admin"
# Recording consent: an admin, or the helper who entered the nomination.
ENTERING_HELPER_OR_ADMIN = "role:entering-helper-or-admin"
# A nominator's pages: the account that nominated, an admin, the helper who entered it, or a
# browser granted access by the nominator's link or by starting the draft.
NOMINATOR = "nominator"
# Pages reached by a signed link of one purpose (awards.core.links).
NOMINATOR_LINK = "nominator-link"
NOMINEE_LINK = "nominee-link"
SUPPORTER_LINK = "supporter-link"
SUPPORTER_INVITE_LINK = "supporter-invite-link"
# The newsletter: a subscriber's own link (Subscriber.token: preferences, unsubscribe) and
# the expiring signed link that confirms an address.
SUBSCRIBER_LINK = "subscriber-link"
NEWSLETTER_CONFIRM_LINK = "newsletter-confirm-link"
DEV = "dev-only"  # only where DEV_TOOLS is on (DevelopmentConfig)
# Judging: members of that panel (404 for anyone else signed in), and its chairs or an admin
# (403 for its other members). tests/panels/test_authorisation.py checks these per nomination,
# with conflicted members and another panel's members, and with planted markers.
PANEL_MEMBER = "panel-member"
PANEL_CHAIR = "panel-chair-or-admin"
# The second step of signing in: whoever gave the right password just before (or a signed-in
# account with a second factor whose session has not done it); anyone else is sent on.
TWO_FACTOR_STEP = "two-factor-step"

LINK_KINDS = {NOMINATOR_LINK: "nominator", NOMINEE_LINK: "nominee",
              SUPPORTER_LINK: "supporter", SUPPORTER_INVITE_LINK: "supporter-invite"}
KINDS = {PUBLIC, ANY, SIGNED_IN, ADMIN, HELPER_OR_ADMIN, ENTERING_HELPER_OR_ADMIN, NOMINATOR,
         *LINK_KINDS, SUBSCRIBER_LINK, NEWSLETTER_CONFIRM_LINK, DEV, PANEL_MEMBER, PANEL_CHAIR,
         TWO_FACTOR_STEP}

POLICY = {
    "static": PUBLIC,
    "public.home": PUBLIC,
    "core.about": PUBLIC,
    "core.privacy": PUBLIC,
    "core.accessibility": PUBLIC,
    "core.healthz": PUBLIC,
    "core.language": PUBLIC,
    "accounts.register": ANY,
    "accounts.check_email": ANY,
    "accounts.verify_email": ANY,
    "accounts.sign_in": ANY,
    "accounts.forgot_password": ANY,
    "accounts.reset_password": ANY,
    "accounts.sign_out": SIGNED_IN,
    "accounts.change_password": SIGNED_IN,
    "accounts.profile": SIGNED_IN,
    "accounts.two_factor_verify": TWO_FACTOR_STEP,
    "accounts.two_factor_settings": SIGNED_IN,
    "accounts.two_factor_enrol": SIGNED_IN,
    "accounts.two_factor_recovery_codes": SIGNED_IN,
    "accounts.two_factor_disable": SIGNED_IN,
    "accounts.passkey_options": SIGNED_IN,
    "accounts.passkey_add": SIGNED_IN,
    "accounts.passkey_remove": SIGNED_IN,
    "accounts.passkey_sign_in_options": TWO_FACTOR_STEP,
    "accounts.passkey_sign_in": TWO_FACTOR_STEP,
    "nominations.choose_cycle": PUBLIC,
    "nominations.start": PUBLIC,
    "nominations.mine": SIGNED_IN,
    "nominations.step": NOMINATOR,
    "nominations.check": NOMINATOR,
    "nominations.sent": NOMINATOR,
    "nominations.status": NOMINATOR,
    "nominations.invite": NOMINATOR,
    "nominations.withdraw": NOMINATOR,
    "nominations.photo": NOMINATOR,
    "nominations.remove_photo": NOMINATOR,
    "nominations.open_link": NOMINATOR_LINK,
    "nominations.confirm_link": NOMINATOR_LINK,
    "consent.consent": NOMINEE_LINK,
    "consent.withdraw": NOMINEE_LINK,
    "consent.photo": NOMINEE_LINK,
    "supporters.statement": SUPPORTER_LINK,
    "supporters.confirm": SUPPORTER_LINK,
    "supporters.join": SUPPORTER_INVITE_LINK,
    "setup.cycles": ADMIN,
    "setup.new_cycle": ADMIN,
    "setup.cycle": ADMIN,
    "setup.edit_cycle": ADMIN,
    "setup.copy_cycle": ADMIN,
    "setup.archive": ADMIN,
    "setup.new_category": ADMIN,
    "setup.edit_category": ADMIN,
    "setup.areas": ADMIN,
    "setup.edit_area": ADMIN,
    "setup.index": ADMIN,
    "moderation.queue": ADMIN,
    "moderation.detail": ADMIN,
    "moderation.readiness": ADMIN,
    "moderation.record_consent": ENTERING_HELPER_OR_ADMIN,
    "moderation.record_recognition": ADMIN,
    "moderation.remove_recognition": ADMIN,
    "insight.report": ADMIN,
    "insight.support_queue": ADMIN,
    "insight.review_support": ADMIN,
    "assist.start": HELPER_OR_ADMIN,
    "panels.dashboard": SIGNED_IN,
    "panels.judge": PANEL_MEMBER,
    "panels.nomination": PANEL_MEMBER,
    "panels.discuss": PANEL_MEMBER,
    "panels.photo": PANEL_MEMBER,
    "chair.overview": PANEL_CHAIR,
    "chair.results_export": PANEL_CHAIR,
    "chair.change_round": PANEL_CHAIR,
    "chair.shortlist": PANEL_CHAIR,
    "chair.eligibility": PANEL_CHAIR,
    "chair.decide": PANEL_CHAIR,
    "chair.recuse": PANEL_CHAIR,
    "panel_admin.panels": ADMIN,
    "panel_admin.new_panel": ADMIN,
    "panel_admin.panel": ADMIN,
    "panel_admin.edit_panel": ADMIN,
    "panel_admin.member": ADMIN,
    "panel_admin.rubric": ADMIN,
    "panel_admin.criterion": ADMIN,
    "panel_admin.delete_criterion": ADMIN,
    "panel_admin.publish": ADMIN,
    "public.cycle_results": PUBLIC,
    "public.award": PUBLIC,
    "public.photo": PUBLIC,
    "public.hall_of_fame": PUBLIC,
    "public.area": PUBLIC,
    "public.category": PUBLIC,
    "thanks.new": PUBLIC,
    "thanks.sent": PUBLIC,
    "thanks.queue": ADMIN,
    "thanks.moderate": ADMIN,
    "privacy.index": ADMIN,
    "privacy.access": ADMIN,
    "privacy.erase": ADMIN,
    "feeds.winners": PUBLIC,
    "feeds.area": PUBLIC,
    "feeds.sitemap": PUBLIC,
    "feeds.robots": PUBLIC,
    "feeds.embed": PUBLIC,
    "certificates.certificate": PUBLIC,
    "certificates.pdf": PUBLIC,
    "certificates.share_image": PUBLIC,
    "admin_dashboard.index": ADMIN,
    "admin_audit.index": ADMIN,
    "admin_audit.export": ADMIN,
    "admin_mail.index": ADMIN,
    "admin_mail.retry": ADMIN,
    "admin_mail.retry_all": ADMIN,
    "newsletter.subscribe": PUBLIC,
    "newsletter.confirm": NEWSLETTER_CONFIRM_LINK,
    "newsletter.preferences": SUBSCRIBER_LINK,
    "newsletter.unsubscribe": SUBSCRIBER_LINK,
    "newsletter.account_subscribe": SIGNED_IN,
    "newsletter.account_unsubscribe": SIGNED_IN,
    "newsletter_admin.index": ADMIN,
    "newsletter_admin.new": ADMIN,
    "newsletter_admin.issue": ADMIN,
    "newsletter_admin.edit": ADMIN,
    "newsletter_admin.preview": ADMIN,
    "newsletter_admin.preview_frame": ADMIN,
    "newsletter_admin.send_test": ADMIN,
    "newsletter_admin.send": ADMIN,
    "newsletter_admin.progress": ADMIN,
    "newsletter_admin.progress_data": ADMIN,
    "newsletter_admin.control": ADMIN,
    "newsletter_archive.index": PUBLIC,
    "newsletter_archive.issue": PUBLIC,
    "newsletter_archive.feed": PUBLIC,
    "users.index": ADMIN,
    "users.detail": ADMIN,
    "users.deactivate": ADMIN,
    "users.reactivate": ADMIN,
    "dev.mailbox": DEV,
    "dev.message": DEV,
    "dev.message_html": DEV,
    "dev.newsletter_copy": DEV,
    "dev.newsletter_copy_html": DEV,
}

NOMINATOR_MARK, STATEMENT_MARK = "ZZNOMINATORZZ", "ZZSTATEMENTZZ"


def new_client(application):
    client = application.test_client()
    return client


def endpoints(application):
    return {rule.endpoint for rule in application.url_map.iter_rules()}


def finish_draft(nomination, area, **answers):
    """Fill every answer of a draft (as the journey's pages would)."""
    journey.save_step(nomination, {
        "nominee_name": "Lee Park", "nominee_kind": NomineeKind.PERSON,
        "age_band": AgeBand.ADULT, "nominee_email": "lee@example.com",
        "area_id": area.id, "what_they_do": "Litter picks.",
        "who_benefits": "The whole street.", "difference_made": "A tidy street.",
        "how_long": HowLong.OVER_10, "nominator_name": "Pat", "nominator_email": "pat@example.com",
        "nominator_relationship": "Neighbour", "nominator_may_be_named": False, **answers})


@pytest.fixture
def objects(make_user):
    """Real objects for every route (tests.routes): Rosa nominated the draft and the sent
    nomination; a second open cycle, so /nominate lists both; a nomination a helper entered."""
    rosa = make_user(name="Rosa Resident", email="rosa@example.com")
    made = route_objects(nominator=rosa)
    made.rosa = rosa
    made.other = route_objects(prefix="other")
    made.helper = make_user(name="Hal Helper", roles=[Role.HELPER])
    entered = journey.start_nomination(made.cycle, category=made.category, entered_by=made.helper,
                                       via=ReceivedVia.PHONE)
    finish_draft(entered, made.area, nominator_email="")
    journey.submit_nomination(entered, actor=made.helper)
    db.session.commit()
    assert entered.status is NominationStatus.SUBMITTED and entered.consent is not None
    made.entered = entered
    made.values["moderation.record_consent"] = {"reference": entered.reference}
    return made


def build_requests(application, policy, values):
    """(method, path, endpoint) of each rule with this policy: GET where it answers GET."""
    out = []
    for rule in rules_for(application):
        if POLICY.get(rule.endpoint) == policy:
            method = "GET" if "GET" in rule.methods else min(rule.methods - {"OPTIONS"})
            out.append((method, path_for(rule, values), rule.endpoint))
    return sorted(out)


def signed_in(application, user, sign_in):
    client = new_client(application)
    assert sign_in(user, target=client).status_code == 302
    return client


@pytest.fixture
def person(make_user, sign_in, app):
    """Factory: a new client signed in as a new user with `roles`."""

    def factory(*roles):
        return signed_in(app, make_user(roles=roles), sign_in)

    return factory


@pytest.mark.no_app_context
def test_route_policy_table_covers_exactly_the_endpoints(app, environment_app):
    assert set(POLICY.values()) <= KINDS
    development = environment_app("development")
    # A new route without a policy entry (or a stale entry) fails here.
    assert endpoints(development) == set(POLICY)
    assert endpoints(app) == {e for e, p in POLICY.items() if p != DEV}


def test_route_policy_public_answers_anonymous_and_signed_in(app, objects, person):
    checks = build_requests(app, PUBLIC, objects.values)
    assert len(checks) == 30
    award = objects.published.award
    # The winner's address without the name only leads to the address with it; the language
    # switch leads back to the home page (no `next`).
    redirects = {f"/winners/{award.key}": f"/winners/{award.key}/{award.slug}",
                 "/language/cy": "/"}
    for client in (new_client(app), person()):
        for method, path, _endpoint in checks:
            response = client.open(path, method=method)
            if path in redirects:
                assert response.status_code == 302, path
                assert response.headers["Location"] == redirects[path]
                continue
            assert response.status_code == 200, path
            assert "Location" not in response.headers, path
    page = new_client(app).get("/nominate").get_data(as_text=True)
    assert "Route Awards" in page and "Other Awards" in page


def test_route_policy_anonymous_or_any(app, objects, person):
    checks = build_requests(app, ANY, objects.values)
    assert len(checks) == 6
    anonymous = new_client(app)
    for method, path, _endpoint in checks:
        response = anonymous.open(path, method=method)
        assert response.status_code == 200, path
        assert "<h1" in response.get_data(as_text=True), path
    member = person()
    for method, path, _endpoint in checks:
        response = member.open(path, method=method)
        # Allowed (or sent on, e.g. sign-in to the home page), never refused.
        assert response.status_code in (200, 302), path
        assert not response.headers.get("Location", "").startswith("/account/sign-in"), path


def assert_sends_to_sign_in(response, path):
    assert response.status_code == 302, path
    location = urlsplit(response.headers["Location"])
    assert location.path == "/account/sign-in", path
    assert parse_qs(location.query)["next"] == [path], path


def test_route_policy_signed_in(app, objects, sign_in):
    checks = build_requests(app, SIGNED_IN, objects.values)
    assert [endpoint for _, _, endpoint in checks] == [
        "accounts.change_password", "accounts.profile", "accounts.two_factor_settings",
        "accounts.two_factor_enrol", "nominations.mine", "panels.dashboard",
        "accounts.passkey_add", "accounts.passkey_remove", "accounts.passkey_options",
        "accounts.sign_out", "accounts.two_factor_recovery_codes",
        "accounts.two_factor_disable", "newsletter.account_subscribe",
        "newsletter.account_unsubscribe"]
    anonymous = new_client(app)
    for method, path, _endpoint in checks:
        assert_sends_to_sign_in(anonymous.open(path, method=method), path)
    member = signed_in(app, objects.rosa, sign_in)
    for method, path, endpoint in sorted(checks, key=lambda c: c[2] == "accounts.sign_out"):
        response = member.open(path, method=method)
        if method == "GET":
            assert response.status_code == 200, path
        elif endpoint.startswith("newsletter."):  # done, back to the account page
            assert (response.status_code, response.headers["Location"]) == (
                302, "/account/profile"), path
        elif endpoint.startswith("accounts.two_factor"):  # no code given: the page, with why
            assert response.status_code == 400, path
            assert "There is a problem" in response.get_data(as_text=True), path
        elif endpoint == "accounts.passkey_options":  # the browser's options, for this user
            assert response.json["user"]["name"] == objects.rosa.email, path
        elif endpoint == "accounts.passkey_add":  # no passkey sent
            assert response.status_code == 400, path
            assert "could not be added" in response.json["error"], path
        elif endpoint == "accounts.passkey_remove":  # nobody's passkey
            assert response.status_code == 404, path
        else:  # sign-out: done, back to the home page
            assert (response.status_code, response.headers["Location"]) == (302, "/"), path
    # /my/nominations lists the member's own nominations only.
    page = signed_in(app, objects.rosa, sign_in).get("/my/nominations").get_data(as_text=True)
    assert objects.sent.reference in page and objects.draft.reference in page
    assert objects.other.sent.reference not in page


def test_route_policy_admin(app, objects, person):
    checks = build_requests(app, ADMIN, objects.values)
    assert len(checks) == 54
    anonymous, resident, helper = new_client(app), person(), person(Role.HELPER)
    panel, admin = person(Role.PANEL_MEMBER), person(Role.ADMIN)
    for method, path, _endpoint in checks:
        assert_sends_to_sign_in(anonymous.open(path, method=method), path)
        for refused in (resident, helper, panel):
            assert refused.open(path, method=method).status_code == 403, path
    db.session.expire_all()
    assert objects.spare_area.archived_at is None  # the archive POST was refused
    assert db.session.get(RecognitionGiven, objects.values["given_id"]) is not None
    assert objects.criterion in criteria_of(objects.category)  # and so was the delete
    # The POST-only ones, done: back to the page they belong to (un-chairing the only chair
    # is refused there, with a message).
    after_post = {"setup.archive": "/admin/areas", "thanks.moderate": "/admin/thanks",
                  "admin_mail.retry": "/admin/mail", "admin_mail.retry_all": "/admin/mail",
                  "moderation.remove_recognition":
                      f"/admin/nominations/{objects.sent.reference}/recognition",
                  "users.deactivate": f"/admin/users/{objects.owner.id}",
                  "users.reactivate": f"/admin/users/{objects.owner.id}",
                  "panel_admin.member": f"/admin/panels/{objects.panel.id}",
                  "panel_admin.delete_criterion":
                      f"/admin/categories/{objects.category.id}/rubric",
                  "newsletter_admin.send_test":
                      f"/admin/newsletter/{objects.newsletter.draft.id}"}
    for method, path, endpoint in checks:
        response = admin.open(path, method=method)
        if method == "GET":
            assert response.status_code == 200, path
        elif endpoint == "admin_audit.export":  # the download itself
            assert (response.status_code, response.mimetype) == (200, "text/csv"), path
        else:
            assert (response.status_code, response.headers["Location"]) == (
                302, after_post[endpoint]), path
    db.session.expire_all()
    assert objects.spare_area.archived_at is not None
    assert objects.criterion not in criteria_of(objects.category)
    assert db.session.get(RecognitionGiven, objects.values["given_id"]) is None
    assert objects.owner.is_active  # deactivated, then reactivated


def test_route_policy_panel_pages(app, objects, person, sign_in):
    member_checks = build_requests(app, PANEL_MEMBER, objects.values)
    chair_checks = build_requests(app, PANEL_CHAIR, objects.values)
    assert (len(member_checks), len(chair_checks)) == (4, 7)
    anonymous = new_client(app)
    for refused in (person(), person(Role.PANEL_MEMBER), person(Role.HELPER)):
        for method, path, _endpoint in member_checks + chair_checks:
            assert_sends_to_sign_in(anonymous.open(path, method=method), path)
            assert refused.open(path, method=method).status_code == 404, path
    # The panel's chair sees its pages (nothing is in judging yet: the lists are empty);
    # an admin sees the chair's pages too.
    chair = signed_in(app, objects.judge, sign_in)
    for path in (f"/panel/{objects.panel.id}", f"/panel/{objects.panel.id}/chair"):
        assert chair.get(path).status_code == 200, path
    assert person(Role.ADMIN).get(f"/panel/{objects.panel.id}/chair").status_code == 200


def test_route_policy_two_factor_step(app, objects, person, sign_in):
    checks = build_requests(app, TWO_FACTOR_STEP, objects.values)
    assert checks == [("GET", "/account/two-factor/code", "accounts.two_factor_verify"),
                      ("POST", "/account/two-factor/passkey", "accounts.passkey_sign_in"),
                      ("POST", "/account/two-factor/passkey/options",
                       "accounts.passkey_sign_in_options")]
    for client in (new_client(app), person()):  # nobody half-way: nothing to answer
        for _method, path, _endpoint in checks[1:]:
            response = client.post(path, json={})
            assert (response.status_code, response.json) == (
                400, {"error": "Please sign in again."}), path
    # Nobody half-way through signing in: sent to sign in (a POST too); signed in without a
    # second factor: sent on, to the home page.
    anonymous = new_client(app)
    for method in ("GET", "POST"):
        response = anonymous.open("/account/two-factor/code", method=method,
                                  data={"code": "123456"})
        assert (response.status_code, response.headers["Location"]) == (302, "/account/sign-in")
    for client in (person(), person(Role.ADMIN)):
        response = client.get("/account/two-factor/code")
        assert (response.status_code, response.headers["Location"]) == (302, "/")
    # Right after the password of an account with a second factor: the page.
    judge = objects.judge
    judge.two_factor = TwoFactor(secret="A" * 32, confirmed_at=utcnow())
    db.session.commit()
    half_way = new_client(app)
    assert sign_in(judge, target=half_way).headers["Location"] == "/account/two-factor/code"
    response = half_way.get("/account/two-factor/code")
    assert response.status_code == 200
    assert "Enter your code" in response.get_data(as_text=True)


def test_route_policy_helper_or_admin(app, objects, person):
    checks = build_requests(app, HELPER_OR_ADMIN, objects.values)
    assert checks == [("GET", "/assist", "assist.start")]
    assert_sends_to_sign_in(new_client(app).get("/assist"), "/assist")
    for refused in (person(), person(Role.PANEL_MEMBER)):
        assert refused.get("/assist").status_code == 403
    for allowed in (person(Role.HELPER), person(Role.ADMIN)):
        response = allowed.get("/assist")
        assert response.status_code == 200
        assert "How was it received?" in response.get_data(as_text=True)


def test_route_policy_entering_helper_or_admin(app, objects, person, sign_in):
    checks = build_requests(app, ENTERING_HELPER_OR_ADMIN, objects.values)
    path = f"/admin/nominations/{objects.entered.reference}/consent"
    assert checks == [("GET", path, "moderation.record_consent")]
    assert_sends_to_sign_in(new_client(app).get(path), path)
    for refused in (person(), person(Role.HELPER), person(Role.PANEL_MEMBER)):
        assert refused.get(path).status_code == 403
    for allowed in (signed_in(app, objects.helper, sign_in), person(Role.ADMIN)):
        response = allowed.get(path)
        assert response.status_code == 200
        assert objects.entered.reference in response.get_data(as_text=True)
    # The helper who entered one nomination may not record consent for another.
    other = f"/admin/nominations/{objects.sent.reference}/consent"
    assert signed_in(app, objects.helper, sign_in).get(other).status_code == 403


def nominator_requests(app, values, draft, sent):
    """The nominator's pages of a `draft` (with a photo) and a `sent` nomination: the GETs,
    then the POSTs (removing the photo last)."""
    values = {**values, "reference": sent.reference}
    for endpoint in ("nominations.step", "nominations.check", "nominations.photo",
                     "nominations.remove_photo"):
        values[endpoint] = {"reference": draft.reference}
    checks = build_requests(app, NOMINATOR, values)
    assert len(checks) == 8
    return sorted(checks, key=lambda check: check[0] == "POST")


def assert_nominator_allowed(client, checks, draft, sent, email):
    for method, path, endpoint in checks:
        reference = sent.reference if f"/{sent.reference}" in path else draft.reference
        if endpoint == "nominations.invite":
            response = client.post(path, data={"email": email})
            assert (response.status_code, response.headers["Location"]) == (
                302, f"/nomination/{reference}"), path
        elif endpoint == "nominations.remove_photo":
            response = client.post(path)
            assert (response.status_code, response.headers["Location"]) == (
                302, f"/nomination/{reference}/photo"), path
        else:
            response = client.open(path, method=method)
            assert response.status_code == 200, path
            if endpoint == "nominations.photo":
                assert response.mimetype == "image/jpeg"
            else:
                assert reference in response.get_data(as_text=True), path
    db.session.expire_all()
    assert draft.photo is None
    assert email in {s.email for s in sent.supporters}


def assert_nominator_refused(client, checks, draft, sent):
    before = sorted(s.email for s in sent.supporters)
    for method, path, _endpoint in checks:
        response = client.open(path, method=method, data={"email": "mallory@example.com"})
        assert response.status_code == 403, path
    db.session.expire_all()
    assert draft.photo is not None
    assert sorted(s.email for s in sent.supporters) == before


def test_route_policy_nominator_refuses_others(app, objects, person, make_user):
    checks = nominator_requests(app, objects.values, objects.draft, objects.sent)
    # Another resident; an anonymous browser; a helper or panel member who did not enter it;
    # a browser holding the link to another nomination.
    linked_elsewhere = new_client(app)
    assert linked_elsewhere.get(f"/n/{objects.other.tokens['nominator']}").status_code == 302
    for client in (person(), new_client(app), person(Role.HELPER), person(Role.PANEL_MEMBER),
                   linked_elsewhere):
        assert_nominator_refused(client, checks, objects.draft, objects.sent)


def test_route_policy_nominator_account_and_admin(app, objects, sign_in, person):
    checks = nominator_requests(app, objects.values, objects.draft, objects.sent)
    assert_nominator_allowed(signed_in(app, objects.rosa, sign_in), checks, objects.draft,
                             objects.sent, "friend1@example.com")
    other = objects.other
    photos.attach_photo(other.draft, png_bytes())
    db.session.commit()
    assert_nominator_allowed(person(Role.ADMIN),
                             nominator_requests(app, objects.values, other.draft, other.sent),
                             other.draft, other.sent, "friend2@example.com")


def test_route_policy_nominator_browser_with_link(app, objects):
    client = new_client(app)
    for token in (objects.tokens["nominator-draft"], objects.tokens["nominator"]):
        response = client.get(f"/n/{token}")
        assert response.status_code == 302
    checks = nominator_requests(app, objects.values, objects.draft, objects.sent)
    assert_nominator_allowed(client, checks, objects.draft, objects.sent, "friend3@example.com")


def test_route_policy_nominator_helper_who_entered(app, objects, sign_in):
    draft = journey.start_nomination(objects.cycle, category=objects.category,
                                     entered_by=objects.helper, via=ReceivedVia.PAPER)
    finish_draft(draft, objects.area)
    photos.attach_photo(draft, png_bytes())
    db.session.commit()
    checks = nominator_requests(app, objects.values, draft, objects.entered)
    assert_nominator_allowed(signed_in(app, objects.helper, sign_in), checks, draft,
                             objects.entered, "friend4@example.com")


def test_route_policy_nominator_browser_that_started_the_draft(app, objects):
    client = new_client(app)
    started = []
    for start_token in ("first-start", "second-start"):
        response = client.post(f"/nominate/{objects.cycle.slug}", data={"start_token": start_token})
        assert response.status_code == 302
        reference = response.headers["Location"].split("/")[2]
        assert response.headers["Location"] == f"/nomination/{reference}/category"
        started.append(db.session.scalar(db.select(Nomination).filter_by(reference=reference)))
    draft, sent = started
    assert draft.nominator_id is None and draft.entered_by_id is None
    photos.attach_photo(draft, png_bytes())
    finish_draft(sent, objects.area, category_id=objects.category.id)
    journey.submit_nomination(sent)
    db.session.commit()
    assert sent.status is NominationStatus.AWAITING_CONFIRMATION
    checks = nominator_requests(app, objects.values, draft, sent)
    assert_nominator_allowed(client, checks, draft, sent, "friend5@example.com")
    # That browser still may not see anyone else's nomination.
    assert_nominator_refused(
        client, nominator_requests(app, objects.values, objects.draft, objects.sent),
        objects.draft, objects.sent)


def tampered(token):
    """The token with a signature character changed: the last but one, as the last character
    of a base64 signature may carry unused bits (A, B, C and D can all end the same bytes)
    and then changing it would change nothing."""
    return token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]


@pytest.mark.parametrize("kind", list(LINK_KINDS))
def test_route_policy_signed_links(app, objects, kind):
    checks = build_requests(app, kind, objects.values)
    assert len(checks) == {SUPPORTER_INVITE_LINK: 1, NOMINEE_LINK: 3}.get(kind, 2)
    purpose = LINK_KINDS[kind]
    assert purpose in LINK_PURPOSES
    rules = {rule.endpoint: rule for rule in rules_for(app)}
    for method, path, endpoint in checks:
        token = path.split("/")[-2 if path.endswith(("/confirm", "/withdraw", "/photo")) else -1]
        object_id = read_link_token(purpose, token)
        # The valid link: the page itself (or, for /n/<token> and a withdrawal, sent on to it).
        response = new_client(app).open(path, method=method)
        if endpoint == "nominations.open_link":
            assert (response.status_code, response.headers["Location"]) == (
                302, f"/nomination/{objects.sent.reference}")
        elif endpoint == "consent.photo":
            assert (response.status_code, response.mimetype) == (200, "image/jpeg"), path
        elif endpoint == "consent.withdraw":
            assert (response.status_code, response.headers["Location"]) == (
                302, f"/consent/{token}")
        else:
            assert response.status_code == 200, path
            text = {"nominations.confirm_link": "Alex Awaiting",
                    "consent.consent": "You have been nominated"}.get(endpoint, "Maria Lopez")
            assert text in response.get_data(as_text=True), path
        # The same object's id signed for every other purpose, a tampered token, and a valid
        # token for an object that does not exist: not found, by every method.
        wrong = [make_link_token(other, object_id) for other in LINK_PURPOSES if other != purpose]
        wrong += [tampered(token), make_link_token(purpose, 999_999), "not-a-token"]
        rule = rules[endpoint]
        for bad in wrong:
            bad_path = path_for(rule, {"token": bad})
            for bad_method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                bad_response = new_client(app).open(bad_path, method=bad_method)
                assert bad_response.status_code == 404, (bad_method, bad_path)
    db.session.expire_all()
    # Nothing the bad links could change has changed.
    assert objects.awaiting.status is NominationStatus.AWAITING_CONFIRMATION
    assert objects.joined.confirmed_at is None
    assert objects.sent.consent.status.value == "pending"


@pytest.mark.parametrize("kind", [SUBSCRIBER_LINK, NEWSLETTER_CONFIRM_LINK])
def test_route_policy_newsletter_links(app, objects, kind):
    checks = build_requests(app, kind, objects.values)
    assert len(checks) == {SUBSCRIBER_LINK: 2, NEWSLETTER_CONFIRM_LINK: 1}[kind]
    rules = {rule.endpoint: rule for rule in rules_for(app)}
    reader, waiting = objects.reader, objects.waiting
    for method, path, endpoint in checks:
        response = new_client(app).open(path, method=method)
        assert response.status_code == 200, path
        text = {"newsletter.confirm": "Confirm my subscription",
                "newsletter.preferences": reader.email,
                "newsletter.unsubscribe": "Unsubscribe from the newsletter"}[endpoint]
        assert text in response.get_data(as_text=True), path
        # Another subscriber's token for the wrong kind of link, an altered one, the other
        # link kinds' tokens, a made-up one: not found, by every method, changing nothing.
        token = path.split("/")[-1]
        wrong = [tampered(token), "not-a-token", make_link_token("nominee", waiting.id),
                 objects.other.tokens["newsletter-confirm"][:-2] + "xx"]
        wrong.append(objects.tokens["newsletter-confirm"] if kind == SUBSCRIBER_LINK
                     else objects.tokens["subscriber"])
        for bad in wrong:
            bad_path = path_for(rules[endpoint], {"token": bad})
            for bad_method in sorted(rules[endpoint].methods - {"HEAD", "OPTIONS"}):
                bad_response = new_client(app).open(bad_path, method=bad_method)
                assert bad_response.status_code == 404, (bad_method, bad_path)
                if kind == SUBSCRIBER_LINK:  # still says how to unsubscribe
                    assert "How to unsubscribe" in bad_response.get_data(as_text=True)
    db.session.expire_all()
    assert reader.is_active and waiting.is_pending


def planted_markers(objects):
    """Plant the markers: Rosa's nominator name and e-mail (not to be named), and Ivy's
    statement."""
    sent = objects.sent
    sent.nominator_name = f"Rosa {NOMINATOR_MARK}"
    sent.nominator_email = f"rosa.{NOMINATOR_MARK.lower()}@example.com"
    assert sent.nominator_may_be_named is False
    supporters.add_statement(objects.invited, name="Ivy", relationship="Neighbour",
                             statement=f"Maria is always there. {STATEMENT_MARK}")
    db.session.commit()


def assert_no_marks(response, *marks, where=""):
    body = response.get_data(as_text=True).lower() if response.mimetype.startswith("text/") else ""
    for mark in marks:
        assert mark.lower() not in body, (mark, where, response.request.path)


def test_route_policy_nominee_and_supporter_pages_hide_nominator_and_statements(app, objects):
    planted_markers(objects)
    marks = (NOMINATOR_MARK, STATEMENT_MARK)
    tokens = objects.tokens
    nominee = new_client(app)
    consent_path = f"/consent/{tokens['nominee']}"
    responses = [nominee.get(consent_path), nominee.post(consent_path, data={})]
    responses.append(nominee.post(consent_path, data={"decision": "accepted",
                                                      "name_display": "full"}))
    responses.append(nominee.get(consent_path))
    responses.append(nominee.post(f"{consent_path}/withdraw"))
    responses.append(nominee.get(consent_path))
    assert [r.status_code for r in responses] == [200, 200, 302, 200, 302, 200]
    assert "You have withdrawn" in responses[-1].get_data(as_text=True)
    for response in responses:
        assert_no_marks(response, *marks, where="nominee link")

    # Jo (joined from the shared link), Ivy's own confirm page, the shared link itself.
    supporter = new_client(app)
    jo_path, ivy_path = f"/support/{tokens['supporter-joined']}", f"/support/{tokens['supporter']}"
    join_path = f"/support/join/{tokens['supporter-invite']}"
    responses = [supporter.get(jo_path), supporter.get(f"{jo_path}/confirm"),
                 supporter.post(f"{jo_path}/confirm"), supporter.get(f"{ivy_path}/confirm"),
                 supporter.get(join_path),
                 supporter.post(join_path, data={"email": "max@example.com", "name": "Max",
                                                 "relationship": "Friend",
                                                 "statement": "Maria helps me."})]
    assert [r.status_code for r in responses] == [200] * 6
    assert "Thank you for your support" in responses[2].get_data(as_text=True)
    for response in responses:
        assert_no_marks(response, *marks, where="supporter link")
    # Ivy sees her own statement (to change it), never the nominator.
    own = supporter.get(ivy_path)
    assert STATEMENT_MARK in own.get_data(as_text=True)
    assert_no_marks(own, NOMINATOR_MARK, where="supporter's own page")


def test_route_policy_other_resident_and_nominator_see_no_markers(app, objects, person, sign_in):
    planted_markers(objects)
    # The admin sees both (the markers are really there, and rendered).
    detail = person(Role.ADMIN).get(f"/admin/nominations/{objects.sent.reference}")
    assert NOMINATOR_MARK in detail.get_data(as_text=True)
    assert STATEMENT_MARK in detail.get_data(as_text=True)
    # Another resident: every page of the site, with real values; links included, but not
    # the nominator's or Ivy's own (whoever holds one of those is the nominator or Ivy).
    other = person()
    values = {**objects.values,
              "supporters.statement": {"token": objects.tokens["supporter-joined"]}}
    crawled = []
    for rule in rules_for(app, "GET"):
        if POLICY[rule.endpoint] == NOMINATOR_LINK:
            continue
        for path in paths_for(rule, values):
            response = other.get(path)
            assert_no_marks(response, NOMINATOR_MARK, STATEMENT_MARK, where="resident")
            crawled.append((POLICY[rule.endpoint], response.status_code))
    assert len(crawled) == 120  # 119 pages and the language switch
    assert {status for kind, status in crawled if kind == NOMINATOR} == {403}
    assert {status for kind, status in crawled if kind in (PANEL_MEMBER, PANEL_CHAIR)} == {404}
    # The nominator sees who supports, never what they wrote.
    rosa = signed_in(app, objects.rosa, sign_in)
    for path in (f"/nomination/{objects.sent.reference}",
                 f"/nomination/{objects.sent.reference}/sent", "/my/nominations"):
        response = rosa.get(path)
        assert response.status_code == 200, path
        assert_no_marks(response, STATEMENT_MARK, where="nominator")
    status = rosa.get(f"/nomination/{objects.sent.reference}").get_data(as_text=True)
    assert "Ivy – has sent a statement" in status


INSIGHT_MARK = "ZZINSIGHTZZ"


def test_route_policy_insight_report_reaches_admins_only(app, objects, person, sign_in):
    """A marker in a nominee's words about support, reviewed and shown in the insight report:
    an admin sees it on the report and in its CSV; nobody else sees it on any page."""
    from awards import factories
    from awards.admin.services.insight import review_support

    factories.give_consent(objects.sent, recognition=["grant"],
                           support_needed=f"A shed for the tools. {INSIGHT_MARK}")
    for n in range(4):
        factories.nomination(objects.cycle, factories.S.SUBMITTED, area=objects.area,
                             nominee_name=f"Nominee {n}", consent={"recognition": ["grant"]})
    review_support(objects.sent.consent, shown_text=f"A shed for the tools. {INSIGHT_MARK}")
    db.session.commit()
    admin = person(Role.ADMIN)
    report = f"/admin/insight?cycle={objects.cycle.id}"
    assert INSIGHT_MARK in admin.get(report).get_data(as_text=True)
    assert INSIGHT_MARK in admin.post(report).get_data(as_text=True)
    review = f"/admin/insight/support/{objects.sent.consent.id}"
    assert INSIGHT_MARK in admin.get(review).get_data(as_text=True)
    values = {**objects.values, "consent_id": objects.sent.consent.id}
    for client in (new_client(app), person(), person(Role.PANEL_MEMBER), person(Role.HELPER),
                   signed_in(app, objects.judge, sign_in)):
        for rule in rules_for(app, "GET"):
            if POLICY[rule.endpoint] == NOMINEE_LINK:  # the nominee's own answer, to change it
                continue
            for path in paths_for(rule, values):
                assert_no_marks(client.get(path), INSIGHT_MARK, where="not an admin")
        for path in (report, review, f"/admin/nominations/{objects.sent.reference}"):
            assert_no_marks(client.post(path, data={"decision": "show"}), INSIGHT_MARK,
                            where="not an admin")


def test_route_policy_dev_only_absent_in_testing(app, client):
    assert not any(e.startswith("dev.") for e in endpoints(app))
    for path in ("/dev/mail", "/dev/mail/1", "/dev/mail/1/html", "/dev/mail/newsletter/1",
                 "/dev/mail/newsletter/1/html"):
        assert client.get(path).status_code == 404, path


def queue_dev_message(app):
    """Queue one e-mail to sam@example.com in `app` (its dev mailbox lists it); its id."""
    with app.app_context():
        message = queue_email("accounts/password_changed", "sam@example.com",
                              user={"name": "Sam"}, reset_link="http://localhost/reset")
        db.session.commit()
        return message.id


@pytest.mark.no_app_context
def test_route_policy_dev_only_present_in_development(environment_app):
    development = environment_app("development")
    assert development.config["DEV_TOOLS"] is True
    message_id = queue_dev_message(development)
    client = development.test_client()
    mailbox = client.get("/dev/mail")
    assert mailbox.status_code == 200
    assert "sam@example.com" in mailbox.get_data(as_text=True)
    assert client.get(f"/dev/mail/{message_id}").status_code == 200
    assert "Sam" in client.get(f"/dev/mail/{message_id}/html").get_data(as_text=True)


@pytest.mark.no_app_context
def test_route_policy_dev_only_absent_in_production(environment_app):
    production = environment_app("production")
    assert not any(e.startswith("dev.") for e in endpoints(production))
    response = production.test_client().get("/dev/mail", base_url="https://localhost")
    assert response.status_code == 404
