"""Every e-mail template, rendered with a realistic context through the outbox's own path
(queue_email → render_email, then build_mime), is a well-formed message: the headers a
receiver expects, a real plain-text part and an HTML part, no line over 998 characters, a
one-line subject; and, where SpamAssassin is installed, a score of at most 1.0 on its
local tests.

Templates are discovered under templates/email/, so a new one is covered at once: give its
kind a context in CONTEXTS (a function of the World below, as the feature's emails.py
queues it). A newsletter template still waiting for its context may be named in
AWAITING_CONTEXT, where it is an expected failure instead of blocking a merge.
"""
import email
import email.policy
import mailbox
import re
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import parseaddr
from functools import cached_property
from pathlib import Path

import pytest
from flask import current_app
from flask_babel import force_locale

from awards import factories as f
from awards.accounts.enums import Role
from awards.core.links import make_link_token
from awards.core.mail import queue_email
from awards.core.mail.sender import build_mime
from awards.core.urls import external_url
from awards.extensions import db
from awards.newsletter.delivery.message import IssueMessage
from awards.newsletter.services import issues
from awards.nominations.emails import nominator_link, nominee_link, supporter_link
from awards.nominations.services import supporters
from awards.public.models import PublicAward
from awards.public.services.thanks import leave_thanks
from tests.conftest import require

EMAIL_DIR = Path(__file__).resolve().parents[2] / "templates" / "email"
MAX_HTML_BYTES = 100 * 1024
MAX_LINE = 998  # RFC 5322 2.1.1, without the CRLF
MAX_SPAM_SCORE = 1.0
HTML_TAG = re.compile(r"</?(?:html|head|body|p|a|div|span|br|table|tr|td|strong|em|h[1-6]|ul|"
                      r"ol|li|img|style)\b[^>]*>", re.IGNORECASE)
HTML_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|apos|nbsp|#\d+|#x[0-9a-f]+);", re.IGNORECASE)

# Newsletter templates written on other branches; the lead gives each a context in
# CONTEXTS and takes it off this list.
AWAITING_CONTEXT = set()


def discovered_kinds():
    """Every template kind: each .txt or .html under templates/email/ not starting with _."""
    return sorted({str(path.relative_to(EMAIL_DIR).with_suffix(""))
                   for path in EMAIL_DIR.rglob("*") if path.suffix in (".txt", ".html")
                   and not path.name.startswith("_")})


class World:
    """Realistic records, made on first use through the factories (the services): names
    with apostrophes and accents, as people have them."""

    @cached_property
    def cycle(self):
        return f.cycle(name="Riverside Awards 2026")

    def nomination(self, status, **answers):
        return f.nomination(self.cycle, status, nominee_name="Siân O'Brien",
                            nominator_name="Sam D'Souza", **answers)

    @cached_property
    def user(self):
        return f.user("Ada O'Neill", "ada.oneill@example.com")

    @cached_property
    def panel(self):
        return f.panel(self.cycle, members=[f.user("Chris Chair", "chris@example.com"),
                                            f.user("Mo Member", "mo@example.com")])

    @cached_property
    def published(self):
        """A judged and published cycle: a winner, a highly commended and one not selected."""
        cycle = f.cycle(name="Riverside Awards 2025")
        admin = f.user("Ada Admin", "admin@example.com", roles=[Role.ADMIN])
        nominations = [
            f.nomination(cycle, f.S.ELIGIBLE, statements=1, consent=f.EVERYTHING,
                         nominee_name=name, nominee_email=f"nominee{number}@example.com",
                         nominator_name="Sam D'Souza",
                         nominator_email=f"nominator{number}@example.com")
            for number, name in enumerate(["Siân O'Brien", "Dev Patel", "Jo Bloggs"])]
        f.start_judging(cycle, admin)
        chair = f.user("Chris Chair", "chris.chair@example.com")
        panel = f.panel(cycle, members=[chair])
        for nomination, outcome in zip(nominations, ("winner", "highly_commended",
                                                     "not_selected"), strict=True):
            f.decide(panel, nomination, outcome, chair,
                     citation=f"{nomination.nominee_name} keeps the Tuesday lunch club going.",
                     feedback="The statements were moving; thank you for all you do.",
                     feedback_to_nominee=True)
        f.publish(cycle, admin)
        return nominations

    def result(self, kind, number):
        nomination = self.published[number]
        links = current_app.extensions["public_links"](nomination)
        return nomination.nominee_email, {
            "nomination": nomination, "decision": nomination.decision,
            "cycle": nomination.cycle, "public_links": links,
            "feedback": nomination.decision.feedback if kind != "outcome" else "",
            "link": nominator_link(nomination) if kind == "outcome" else None}

    @cached_property
    def thanks(self):
        award = db.session.scalar(db.select(PublicAward).filter_by(
            nomination_id=self.published[0].id))
        thanks = leave_thanks(award, "You kept the lunch club going when nobody else "
                                     "could. Thank you, from all of us at number 12!",
                              "Jo & Pat")
        return thanks, award


def _supporter(world, statement=False):
    nomination = world.nomination(f.S.SUBMITTED)
    supporter = supporters.invite_supporter(nomination, "friend@example.com")
    if statement:
        supporter = supporters.add_statement(
            supporter, name="Rhys Evans", relationship="Neighbour",
            statement="She's the first to help when anyone's in trouble.")
    return supporter


def _account_link(world, purpose, hours):
    return world.user.email, {
        "user": world.user, "hours": hours,
        "link": external_url(f"accounts.{purpose}", token="x" * 43)}


# kind → function(world) → (recipient, context), as each feature's emails.py queues it.
CONTEXTS = {
    "accounts/verify_email": lambda w: _account_link(w, "verify_email", 48),
    "accounts/reset_password": lambda w: _account_link(w, "reset_password", 1),
    "accounts/account_exists": lambda w: (w.user.email, {
        "user": w.user, "sign_in_link": external_url("accounts.sign_in"),
        "reset_link": external_url("accounts.forgot_password")}),
    "accounts/password_changed": lambda w: (w.user.email, {
        "user": w.user, "reset_link": external_url("accounts.forgot_password")}),
    "nominations/confirm_nomination": lambda w: (lambda n: (n.nominator_email, {
        "nomination": n, "link": nominator_link(n, "nominations.confirm_link")}))(
        w.nomination(f.S.AWAITING_CONFIRMATION)),
    "nominations/receipt": lambda w: (lambda n: (n.nominator_email, {
        "nomination": n, "link": nominator_link(n)}))(w.nomination(f.S.SUBMITTED)),
    "nominations/come_back": lambda w: (lambda n: (n.nominator_email, {
        "nomination": n, "link": nominator_link(n)}))(w.nomination(f.S.DRAFT)),
    "nominations/nominee_invitation": lambda w: (lambda n: (n.nominee_email, {
        "nomination": n, "link": nominee_link(n), "guardian": False}))(
        w.nomination(f.S.ELIGIBLE)),
    "nominations/supporter_invitation": lambda w: (lambda s: (s.email, {
        "supporter": s, "nomination": s.nomination, "link": supporter_link(s),
        "nominator_name": s.nomination.nominator_name}))(_supporter(w)),
    "nominations/supporter_confirm": lambda w: (lambda s: (s.email, {
        "supporter": s, "nomination": s.nomination,
        "link": external_url("supporters.confirm",
                             token=make_link_token("supporter", s.id))}))(
        _supporter(w, statement=True)),
    "nominations/ineligible": lambda w: (lambda n: (n.nominator_email, {
        "nomination": n, "reason": "The nominee lives outside the scheme's area."}))(
        w.nomination(f.S.INELIGIBLE)),
    "nominations/nominee_thanks": lambda w: (lambda n: (n.nominee_email, {
        "nomination": n, "guardian": False}))(w.nomination(f.S.SUBMITTED, consent=True)),
    "panels/invitation": lambda w: (lambda m: (m.user.email, {
        "member": m, "panel": m.panel, "new_account": True,
        "link": external_url("accounts.reset_password", token="x" * 43)}))(w.panel.members[1]),
    "panels/reminder": lambda w: (lambda m: (m.user.email, {
        "member": m, "panel": m.panel, "left": 3,
        "link": external_url("panels.judge", panel_id=m.panel_id)}))(w.panel.members[1]),
    "panels/winner": lambda w: w.result("winner", 0),
    "panels/commended": lambda w: w.result("commended", 1),
    "panels/thank_you": lambda w: w.result("thank_you", 2),
    "panels/outcome": lambda w: (w.published[0].nominator_email,
                                 w.result("outcome", 0)[1]),
    "public/thanks_forwarded": lambda w: (lambda t, award: (t.nomination.nominee_email, {
        "thanks": t, "nomination": t.nomination, "guardian": False,
        "link": external_url("public.award", key=award.key, slug=award.slug)}))(*w.thanks),
    "newsletter/confirm": lambda w: ("reader@example.com", {
        "confirm_link": external_url("newsletter.confirm", token="x" * 60), "hours": 72}),
    "newsletter/already_subscribed": lambda w: ("reader@example.com", {
        "preferences_link": external_url("newsletter.preferences", token="x" * 32)}),
}


def newsletter_copy(world):
    """One recipient's copy of a real issue, as a delivery worker builds and sends it: the
    published winners who agreed to the newsletter, the recipient's links filled in."""
    world.published  # noqa: B018 (a published cycle: its winners agreed to everything)
    issue = issues.create_issue(
        subject="Meet this year's Big Citizens",
        introduction="Hello, **neighbours**. Here are the people who help where you live.",
        award_ids=[award.id for award in issues.story_choices()])
    issues.prepare_issue(issue)
    copy = IssueMessage(issue, current_app.config).build(1, "reader@example.com", "t" * 32)
    return email.message_from_bytes(copy.as_bytes(), policy=email.policy.default)


# Not queued through the outbox: each copy is built by the delivery workers.
BUILT_BY_WORKERS = {"newsletter/issue": newsletter_copy}


def compose(kind, world, locale="en"):
    """The MIME message for `kind`, made as the outbox (or a newsletter worker) makes it."""
    if kind in BUILT_BY_WORKERS:
        with force_locale(locale):
            return BUILT_BY_WORKERS[kind](world)
    if kind not in CONTEXTS:
        if kind in AWAITING_CONTEXT:
            pytest.xfail(f"{kind}: no context yet in CONTEXTS (listed in AWAITING_CONTEXT)")
        pytest.fail(f"templates/email/{kind}: no context for this template in CONTEXTS of "
                    f"{Path(__file__).name}; add one (as its feature's emails.py queues it)")
    for suffix in (".txt", ".html"):
        assert (EMAIL_DIR / f"{kind}{suffix}").is_file(), f"{kind}{suffix} is missing"
    recipient, context = CONTEXTS[kind](world)
    row = queue_email(kind, recipient, locale=locale, **context)
    db.session.flush()  # the row's created_at, as when it is delivered
    return build_mime(row, current_app.config["MAIL_DEFAULT_SENDER"])


def test_every_template_has_a_context_or_is_awaited():
    kinds = discovered_kinds()
    assert "accounts/verify_email" in kinds and "panels/winner" in kinds
    assert set(CONTEXTS) | set(BUILT_BY_WORKERS) <= set(kinds), \
        "contexts for templates that no longer exist"
    assert not AWAITING_CONTEXT & set(CONTEXTS), "given a context: take it off AWAITING_CONTEXT"


@pytest.mark.parametrize("locale", ["en", "cy"])
@pytest.mark.parametrize("kind", discovered_kinds())
def test_email_is_well_formed(kind, locale):
    check_message(kind, compose(kind, World(), locale))


def check_message(kind, mime):
    """Fail, naming `kind`, unless `mime` is a well-formed message."""
    for header in ("From", "To", "Subject", "Date", "Message-ID", "MIME-Version"):
        assert mime[header], f"{kind}: no {header} header"
    assert parseaddr(str(mime["From"]))[1] and parseaddr(str(mime["To"]))[1]
    subject = str(mime["Subject"])
    assert subject.strip() and "\n" not in subject and "\r" not in subject, \
        f"{kind}: the subject is empty or more than one line: {subject!r}"
    assert not subject.isupper(), f"{kind}: subject in capitals: {subject}"
    assert mime.get_content_type() == "multipart/alternative", \
        f"{kind}: {mime.get_content_type()}, not text with an HTML alternative"

    text = mime.get_body(("plain",))
    html = mime.get_body(("html",))
    assert text is not None and html is not None, f"{kind}: needs a text and an HTML part"
    plain = text.get_content()
    assert len(plain.strip()) > 40, f"{kind}: the plain-text part is (nearly) empty"
    tag, entity = HTML_TAG.search(plain), HTML_ENTITY.search(plain)
    assert not tag, f"{kind}: HTML in the plain-text part: {tag and tag.group()}"
    assert not entity, f"{kind}: an HTML entity in the plain-text part: {entity and entity.group()}"
    markup = html.get_content()
    assert "<html" in markup.lower() and "</html>" in markup.lower(), f"{kind}: not a document"
    size = len(markup.encode())
    assert size < MAX_HTML_BYTES, f"{kind}: HTML of {size} bytes"

    data = mime.as_bytes()
    longest = max(len(line.rstrip(b"\r")) for line in data.split(b"\n"))
    assert longest <= MAX_LINE, f"{kind}: a line of {longest} characters"


def broken_message(**changes):
    """A message with one fault (the checks' own test)."""
    mime = EmailMessage()
    mime["From"] = "Big Citizen Awards <awards@bigcitizens.example>"
    mime["To"] = "ada@example.com"
    mime["Subject"] = changes.get("subject", "Please confirm your e-mail address")
    mime["Date"] = "Sat, 05 Dec 2026 20:00:00 +0000"
    mime["Message-ID"] = "<1@bigcitizens.example>"
    text = changes.get("text", "Hello Ada, please confirm your address with the link below.")
    mime.set_content(text)
    if changes.get("long_line"):  # sent as 7bit, not folded by quoted-printable
        mime.add_alternative(f"<html><body><p>{'x' * 1200}</p></body></html>", subtype="html",
                             cte="7bit")
    else:
        mime.add_alternative("<html><body><p>Hello Ada</p></body></html>", subtype="html")
    return mime


@pytest.mark.parametrize(("changes", "fault"), [
    ({}, None),
    ({"subject": "CONFIRM YOUR ADDRESS NOW"}, "subject in capitals"),
    ({"text": "<p>Hello Ada, please confirm your address with the link below.</p>"},
     "HTML in the plain-text part"),
    ({"text": "Hello Ada &amp; Pat, please confirm your address with the link below."},
     "an HTML entity"),
    ({"text": "Hi"}, "(nearly) empty"),
    ({"long_line": True}, "a line of 1233 characters"),
])
def test_the_checks_catch_a_broken_message(changes, fault):
    if fault is None:
        check_message("test/good", broken_message())
        return
    with pytest.raises(AssertionError, match=re.escape(fault)):
        check_message("test/broken", broken_message(**changes))


def spamassassin_scores(messages):
    """SpamAssassin's score (local tests only) and report for each message, in the order
    given (its --mbox output comes in an order of its own: matched by Message-ID)."""
    with mailbox_file(messages) as path:
        output = subprocess.run(["spamassassin", "-L", "-t", "--mbox", str(path)],
                                capture_output=True, check=True, timeout=600).stdout
    found = {}
    for chunk in re.split(rb"^From .*\n", output, flags=re.MULTILINE):
        score = re.search(rb"^X-Spam-Status: \w+, score=(-?[\d.]+)", chunk, re.MULTILINE)
        message_id = re.search(rb"^Message-ID: (<[^>]+>)", chunk, re.MULTILINE | re.IGNORECASE)
        report = re.search(rb"Content analysis details:.*?(?=\n\n\S|\Z)", chunk, re.DOTALL)
        if score and message_id:
            found[message_id.group(1).decode()] = (
                float(score.group(1)), report.group().decode(errors="replace") if report else "")
    return [found.get(str(message["Message-ID"]), (None, "not in the output"))
            for message in messages]


@contextmanager
def mailbox_file(messages):
    """A temporary mbox holding `messages`."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "messages.mbox"
        box = mailbox.mbox(path)
        for message in messages:
            box.add(message.as_bytes())
        box.close()
        yield path


def spammy_message():
    """A control: what SpamAssassin's local tests do mark (so a score of 0 means something)."""
    mime = EmailMessage()
    mime["From"] = "WINNER NOTIFICATION <prize@lottery.example>"
    mime["To"] = "ada@example.com"
    mime["Subject"] = "YOU HAVE WON $1,000,000 CASH!!! CLAIM NOW"
    mime["Message-ID"] = "<control-1@lottery.example>"
    mime.set_content("<html><body><font size=7 color=red>CLICK HERE to claim your FREE "
                     "cash prize!!! 100% GUARANTEED. Act now, limited time offer. Send "
                     "your bank account details to claim.</font></body></html>",
                     subtype="html")
    return mime


def test_every_email_scores_low_with_spamassassin():
    require(shutil.which("spamassassin"), "spamassassin is not installed "
                                          "(apt-get install spamassassin; .ci/run does)")
    kinds = [kind for kind in discovered_kinds() if kind in CONTEXTS or kind in BUILT_BY_WORKERS]
    world = World()
    messages = [compose(kind, world) for kind in kinds]
    *results, control = spamassassin_scores([*messages, spammy_message()])
    assert control[0] is not None and control[0] > MAX_SPAM_SCORE, \
        f"the control message should score high: {control}"
    by_kind = dict(zip(kinds, results, strict=True))
    print("\n".join(f"{score!s:>5}  {kind}" for kind, (score, _) in by_kind.items()))
    too_high = {kind: result for kind, result in by_kind.items()
                if result[0] is None or result[0] > MAX_SPAM_SCORE}
    assert not too_high, too_high
