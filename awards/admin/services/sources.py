"""The personal data sources: one export and one erasure per kind of record about a person.

Order matters for erasure: the records that find others by the person's names and ids
(audit events, e-mails that mention them) come after the records that hold them, and the
account comes last. The newsletter's own functions are in awards/newsletter/privacy.py.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import Text, cast, delete, or_, select

from awards.accounts.models import (
    Passkey,
    RecoveryCode,
    TwoFactor,
    User,
    UserRole,
    new_session_token,
)
from awards.admin.services.personal_data import PersonalDataSource
from awards.admin.services.removal import delete_nomination, drop_photo, drop_public_award
from awards.core.audit import AuditEvent
from awards.core.mail.models import OutboxMessage
from awards.core.tokens import Token
from awards.extensions import db
from awards.newsletter import privacy as newsletter_privacy
from awards.nominations.enums import ConsentStatus, NameDisplay
from awards.nominations.models import Nomination, Supporter, SupportReview
from awards.panels.models import Comment, Declaration, PanelMember, Review
from awards.public.models import PublicAward, ThankYou
from awards.public.services import listing

ERASED_NAME = "Erased"


def _when(moment):
    return moment.isoformat() if moment else None


def _label(value):
    return str(value.label) if value is not None else None


# --- as a nominee ----------------------------------------------------------------------------

def nominations_about(person):
    """The nominations whose nominee has this address."""
    return db.session.scalars(select(Nomination).where(person.matches(Nomination.nominee_email))
                              .order_by(Nomination.id)).all()


def is_kept(nomination):
    """A decision of a published cycle is kept (anonymised): the record of who won what."""
    decision = nomination.decision
    return (nomination.cycle.is_published and decision is not None
            and decision.outcome is not None)


def export_nominee(person):
    out = []
    for nomination in nominations_about(person):
        consent, decision, photo = nomination.consent, nomination.decision, nomination.photo
        award = db.session.scalar(select(PublicAward).filter_by(nomination_id=nomination.id))
        out.append({
            "reference": nomination.reference, "cycle": nomination.cycle.name,
            "category": nomination.category.name if nomination.category else None,
            "status": _label(nomination.status), "name": nomination.nominee_name,
            "email": nomination.nominee_email, "phone": nomination.nominee_phone,
            "age_band": _label(nomination.age_band),
            "area": nomination.area.name if nomination.area else None,
            "what_they_do": nomination.what_they_do, "who_benefits": nomination.who_benefits,
            "difference_made": nomination.difference_made,
            "how_long": _label(nomination.how_long),
            # The nominator is named only if they agreed to be (the journey asks them).
            "nominator": ({"name": nomination.nominator_name,
                           "relationship": nomination.nominator_relationship}
                          if nomination.nominator_may_be_named else "withheld"),
            "supporting_statements": nomination.statements_count,
            "consent": consent and {
                "answer": _label(consent.status), "answered_at": _when(consent.answered_at),
                "given_by_guardian": consent.given_by_guardian,
                "guardian_name": consent.guardian_name,
                "name_shown": _label(consent.name_display),
                "publish_photo": consent.publish_photo, "publish_story": consent.publish_story,
                "publish_area": consent.publish_area, "in_newsletter": consent.in_newsletter,
                "recognition": list(consent.recognition or ()),
                "support_needed": consent.support_needed,
                "support_words_in_report": _support_words(consent),
                "recorded_how": consent.recorded_how, "language": consent.locale},
            "photo": photo and {"alt_text": photo.alt_text,
                                "uploaded_at": _when(photo.uploaded_at)},
            "decision": ({"outcome": _label(decision.outcome), "citation": decision.citation,
                          **({"feedback": decision.feedback}
                             if decision.feedback_to_nominee else {})}
                         if decision is not None and nomination.cycle.is_published else None),
            "public_page": award and {"name_shown": award.display_name,
                                      "citation": award.citation},
            "messages_of_thanks": [thanks.message for thanks in db.session.scalars(
                select(ThankYou).filter_by(nomination_id=nomination.id)
                .order_by(ThankYou.id)) if thanks.is_approved],
        })
    return out


def anonymise_nomination(nomination):
    """Keep the decision of a published cycle (its outcome, scores, dates) without anything
    that says who the nominee is: every free text about them is blanked."""
    drop_photo(nomination)
    for thanks in db.session.scalars(select(ThankYou).filter_by(nomination_id=nomination.id)):
        db.session.delete(thanks)
    nomination.nominee_name = ERASED_NAME
    nomination.nominee_email = nomination.nominee_phone = None
    nomination.what_they_do = nomination.who_benefits = nomination.difference_made = ""
    nomination.moderation_reason = None
    nomination.start_token = None
    consent = nomination.consent
    if consent is not None:
        consent.status = ConsentStatus.WITHDRAWN
        consent.guardian_name = consent.recorded_how = consent.locale = None
        consent.support_needed, consent.recognition = "", []
        db.session.execute(delete(SupportReview).where(SupportReview.consent_id == consent.id))
        consent.name_display = NameDisplay.ANONYMOUS
        consent.publish_photo = consent.publish_story = consent.publish_area = False
        consent.in_newsletter = False
    decision = nomination.decision
    decision.citation = decision.rationale = decision.feedback = ""
    for supporter in nomination.supporters:
        _blank_supporter(supporter)
    _blank_panel_texts(Review.nomination_id == nomination.id,
                       Declaration.nomination_id == nomination.id,
                       Comment.nomination_id == nomination.id)
    db.session.flush()
    # Consent withdrawn: the listing takes the public row down (and the cache follows).
    listing.refresh_award(nomination)
    drop_public_award(nomination)


def _support_words(consent):
    review = db.session.scalar(select(SupportReview).filter_by(consent_id=consent.id))
    return review.shown_text if review is not None else None


def erase_nominee(person):
    count = 0
    for nomination in nominations_about(person):
        if is_kept(nomination):
            anonymise_nomination(nomination)
        else:
            delete_nomination(nomination)
        count += 1
    return count


NOMINEE = PersonalDataSource(
    "nominee", _l("As a nominee"),
    {"nomination.nominee_name", "nomination.nominee_email", "nomination.nominee_phone",
     "nomination.what_they_do", "nomination.who_benefits", "nomination.difference_made",
     "nomination.moderation_reason", "consent.guardian_name", "consent.recognition",
     "consent.support_needed", "support_review.shown_text", "consent.recorded_how",
     "consent.locale", "photo.alt_text",
     "decision.citation", "decision.rationale", "decision.feedback",
     "public_award.display_name", "public_award.citation", "public_award.slug"},
    export_nominee, erase_nominee)


# --- as a nominator --------------------------------------------------------------------------

def nominations_by(person):
    """The nominations this person made (by address or account), other than of themselves."""
    conditions = [person.matches(Nomination.nominator_email)]
    if person.user_ids:
        conditions.append(Nomination.nominator_id.in_(person.user_ids))
    return [n for n in db.session.scalars(select(Nomination).where(or_(*conditions))
                                          .order_by(Nomination.id))
            if (n.nominee_email or "").lower() != person.email]


def export_nominator(person):
    return [{
        "reference": n.reference, "cycle": n.cycle.name, "status": _label(n.status),
        "nominee": n.nominee_name, "your_name": n.nominator_name,
        "your_email": n.nominator_email, "relationship": n.nominator_relationship,
        "may_be_named": n.nominator_may_be_named, "language": n.locale,
        "what_they_do": n.what_they_do, "who_benefits": n.who_benefits,
        "difference_made": n.difference_made, "submitted_at": _when(n.submitted_at),
    } for n in nominations_by(person)]


def erase_nominator(person):
    count = 0
    for nomination in nominations_by(person):
        if nomination.is_draft:  # never sent: only the nominator's
            delete_nomination(nomination)
        else:
            nomination.nominator_name = nomination.nominator_email = ""
            nomination.nominator_relationship = ""
            nomination.nominator_id = None
            nomination.nominator_may_be_named = False
            nomination.locale = None
        count += 1
    db.session.flush()
    return count


NOMINATOR = PersonalDataSource(
    "nominator", _l("As a nominator"),
    {"nomination.nominator_name", "nomination.nominator_email",
     "nomination.nominator_relationship", "nomination.locale"},
    export_nominator, erase_nominator)


# --- as a supporter --------------------------------------------------------------------------

def supports_of(person):
    return db.session.scalars(select(Supporter).where(person.matches(Supporter.email))
                              .order_by(Supporter.id)).all()


def export_supporter(person):
    return [{"nomination": s.nomination.reference, "nominee": s.nomination.nominee_name,
             "name": s.name, "email": s.email, "relationship": s.relationship_to_nominee,
             "statement": s.statement, "language": s.locale,
             "invited_at": _when(s.invited_at), "sent_at": _when(s.responded_at)}
            for s in supports_of(person)]


def _blank_supporter(supporter):
    supporter.email = supporter.locale = None
    supporter.name = supporter.relationship_to_nominee = supporter.statement = ""


def erase_supporter(person):
    supports = supports_of(person)
    for supporter in supports:
        _blank_supporter(supporter)
    db.session.flush()
    return len(supports)


SUPPORTER = PersonalDataSource(
    "supporter", _l("As a supporter"),
    {"supporter.email", "supporter.name", "supporter.relationship_to_nominee",
     "supporter.statement", "supporter.locale"},
    export_supporter, erase_supporter)


# --- as a panel member -----------------------------------------------------------------------

def _members(person):
    if not person.user_ids:
        return []
    return db.session.scalars(select(PanelMember).where(
        PanelMember.user_id.in_(person.user_ids)).order_by(PanelMember.id)).all()


def _comments(person):
    if not person.user_ids:
        return []
    return db.session.scalars(select(Comment).where(Comment.author_id.in_(person.user_ids))
                              .order_by(Comment.id)).all()


def export_panel(person):
    out = []
    for member in _members(person):
        declarations = db.session.scalars(select(Declaration).filter_by(member_id=member.id)
                                          .order_by(Declaration.id))
        reviews = db.session.scalars(select(Review).filter_by(member_id=member.id)
                                     .order_by(Review.id))
        out.append({
            "panel": member.panel.name, "chair": member.is_chair,
            "invited_at": _when(member.invited_at),
            "declarations": [{"nomination": d.nomination.reference, "conflicted": d.conflicted,
                              "kind": _label(d.kind), "reason": d.reason,
                              "declared_at": _when(d.declared_at)} for d in declarations],
            "reviews": [{"nomination_id": r.nomination_id, "round": _label(r.stage),
                         "passes": r.passes, "comment": r.overall_comment,
                         "submitted_at": _when(r.submitted_at),
                         "scores": [{"criterion_id": s.criterion_id, "score": s.value,
                                     "comment": s.comment} for s in r.scores]}
                        for r in reviews]})
    comments = [{"nomination_id": c.nomination_id, "comment": c.body,
                 "written_at": _when(c.created_at)} for c in _comments(person)]
    if comments:
        out.append({"discussion": comments})
    return out


def _blank_panel_texts(review_condition, declaration_condition, comment_condition):
    for review in db.session.scalars(select(Review).where(review_condition)):
        review.overall_comment = ""
        for score in review.scores:
            score.comment = ""
    for declaration in db.session.scalars(select(Declaration).where(declaration_condition)):
        declaration.reason = ""
    for comment in db.session.scalars(select(Comment).where(comment_condition)):
        comment.body = ""


def erase_panel(person):
    """Blank what the member wrote; the scores and answers that made decisions stay."""
    members = [member.id for member in _members(person)]
    comments = _comments(person)
    _blank_panel_texts(Review.member_id.in_(members), Declaration.member_id.in_(members),
                       Comment.id.in_([c.id for c in comments]))
    db.session.flush()
    return len(members) + len(comments)


PANEL = PersonalDataSource(
    "panel", _l("As a panel member"),
    {"review.overall_comment", "score.comment", "declaration.reason", "panel_comment.body"},
    export_panel, erase_panel)


# --- thank-you messages they left ------------------------------------------------------------

def _thanks_by(person):
    if not person.thanks_name:
        return []
    return db.session.scalars(select(ThankYou).where(
        ThankYou.author_name.ilike(person.thanks_name)).order_by(ThankYou.id)).all()


def export_thanks(person):
    return [{"reference": t.reference, "signed": t.author_name, "message": t.message,
             "status": _label(t.status), "left_at": _when(t.created_at)}
            for t in _thanks_by(person)]


def erase_thanks(person):
    messages = _thanks_by(person)
    for thanks in messages:
        db.session.delete(thanks)  # through the session: an approved one changes a page
    db.session.flush()
    return len(messages)


THANKS = PersonalDataSource(
    "thanks", _l("Messages of thanks they left"),
    {"thank_you.author_name", "thank_you.message"}, export_thanks, erase_thanks)


# --- e-mails to them -------------------------------------------------------------------------

def export_outbox(person):
    return [{"subject": m.subject, "kind": m.kind, "to": m.recipient,
             "status": _label(m.status), "queued_at": _when(m.created_at),
             "sent_at": _when(m.sent_at), "text": m.text_body}
            for m in db.session.scalars(select(OutboxMessage).where(
                person.matches(OutboxMessage.recipient)).order_by(OutboxMessage.id))]


def erase_outbox(person):
    """Delete the messages to them; blank the messages to others that name them."""
    deleted = db.session.execute(delete(OutboxMessage).where(
        person.matches(OutboxMessage.recipient)).execution_options(synchronize_session=False))
    mentioning = db.session.scalars(select(OutboxMessage).where(person.mentions(
        OutboxMessage.subject, OutboxMessage.text_body, OutboxMessage.html_body,
        OutboxMessage.last_error))).all()
    for message in mentioning:
        message.subject = message.text_body = message.html_body = ""
        message.last_error = None
    db.session.flush()
    return deleted.rowcount + len(mentioning)


OUTBOX = PersonalDataSource(
    "outbox", _l("Emails sent to them"),
    {"outbox_message.recipient", "outbox_message.subject", "outbox_message.text_body",
     "outbox_message.html_body", "outbox_message.last_error"},
    export_outbox, erase_outbox)


# --- the audit log ---------------------------------------------------------------------------

def _events(person):
    conditions = [person.mentions(cast(AuditEvent.details, Text))]
    if person.user_ids:
        conditions += [AuditEvent.actor_id.in_(person.user_ids),
                       (AuditEvent.object_type == "user")
                       & AuditEvent.object_id.in_(person.user_ids)]
    return db.session.scalars(select(AuditEvent).where(or_(*conditions))
                              .order_by(AuditEvent.id)).all()


def export_audit(person):
    return [{"at": _when(e.at), "action": e.action, "object": e.object_type,
             "object_id": e.object_id, "from": e.from_state, "to": e.to_state,
             "details": e.details, "by_them": e.actor_id in person.user_ids,
             "ip_address": e.ip_address if e.actor_id in person.user_ids else None}
            for e in _events(person)]


def erase_audit(person):
    """Keep what was done and when; drop the details that name them and their IP address."""
    events = _events(person)
    for event in events:
        event.details = {}
        if event.actor_id in person.user_ids:
            event.ip_address = None
    db.session.flush()
    return len(events)


AUDIT = PersonalDataSource(
    "audit", _l("Audit log"), {"audit_event.details", "audit_event.ip_address"},
    export_audit, erase_audit)


# --- the account -----------------------------------------------------------------------------

def _users(person):
    if not person.user_ids:
        return []
    return db.session.scalars(select(User).where(User.id.in_(person.user_ids))).all()


def export_account(person):
    return [{"name": u.name, "email": u.email, "language": u.locale,
             "roles": [str(name) for name in u.role_names],
             "email_confirmed_at": _when(u.email_verified_at), "created_at": _when(u.created_at),
             "last_sign_in_at": _when(u.last_sign_in_at),
             "two_factor_app": u.two_factor is not None and u.two_factor.confirmed_at is not None,
             "passkeys": [{"name": key.name, "added_at": _when(key.created_at),
                           "last_used_at": _when(key.last_used_at)} for key in u.passkeys]}
            for u in _users(person)]


def erase_account(person):
    """Anonymise the account (panels and decisions keep pointing at a row), sign it out
    everywhere, and take its roles and links away."""
    users = _users(person)
    for user in users:
        user.email = f"erased-{user.id}@erased.invalid"
        user.name = ERASED_NAME
        user.password_hash = "!"  # matches no password
        user.session_token = new_session_token()
        user.locale = None
        db.session.execute(delete(UserRole).where(UserRole.user_id == user.id))
        db.session.execute(delete(Token).where(Token.user_id == user.id))
        # Its second factors too: nobody signs in to an erased account.
        for model in (Passkey, RecoveryCode, TwoFactor):
            db.session.execute(delete(model).where(model.user_id == user.id))
    db.session.flush()
    db.session.expire_all()
    return len(users)


ACCOUNT = PersonalDataSource(
    "account", _l("Account"),
    {"user.email", "user.name", "user.locale", "user.password_hash", "user.session_token",
     "passkey.name"},
    export_account, erase_account)


NEWSLETTER = PersonalDataSource(
    "newsletter", _l("As a newsletter subscriber"), newsletter_privacy.COLUMNS,
    newsletter_privacy.export_subscriptions, newsletter_privacy.erase_subscriptions)


# Erased in this order (exported in it too).
SOURCES = [THANKS, SUPPORTER, NOMINATOR, NOMINEE, PANEL, NEWSLETTER, OUTBOX, AUDIT, ACCOUNT]
