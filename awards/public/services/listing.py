"""Keep each published award's public row in step with its nomination, consent and decision.

This is the one place that decides what the public may see (docs/product.md, rule 1): a row
exists only for a published cycle's winner or highly commended whose nominee has consented,
and it holds only the fields they allowed. Consent changes and publication arrive through
signals, in the same transaction as the change, so a withdrawal is public the moment it
commits.
"""
import re
import secrets

from sqlalchemy import inspect, select, update
from sqlalchemy.orm import selectinload

from awards.core.slugs import slugify, strip_accents
from awards.extensions import db
from awards.nominations.enums import NominationStatus, Recognition
from awards.nominations.models import ANONYMOUS_NAME, AwardCycle, Category, Nomination, shown_name
from awards.public.models import PublicAward

# The nominee asked to hear from people: thank-you messages are forwarded to them.
FORWARDING_CHOICES = {Recognition.PRIVATE_THANKS.value, Recognition.HEAR_IMPACT.value}


def public_citation(citation, full_name, shown):
    """The citation with the name as shown in place of the full name; empty if any word of
    the name the nominee keeps private is still in it (the panel wrote it from the story,
    which names them, and a nominee may narrow their name after publication)."""
    words = (full_name or "").split()
    text = citation or ""
    if shown and len(words) > 1:
        text = re.sub(r"\b" + r"\s+".join(map(re.escape, words)) + r"\b", shown, text,
                      flags=re.IGNORECASE)
    visible = set(shown.lower().split())
    hidden = [word for word in words if len(word) > 1 and word.lower() not in visible]
    if any(re.search(rf"\b{re.escape(word)}\b", text, re.IGNORECASE) for word in hidden):
        return ""
    return text


def is_public(nomination):
    """Whether anything about the nomination may be public now."""
    # The decision is read last, once published: it is a view-only relationship, and
    # loading it earlier would keep a stale "no decision" for the rest of the session.
    if not (nomination.status is NominationStatus.OUTCOME and nomination.nominee_consented
            and _is_published(nomination.cycle_id)):
        return False
    decision = nomination.decision
    return decision is not None and decision.outcome is not None and decision.outcome.is_public


def _is_published(cycle_id):
    """Whether the cycle's results are published, read from the database with a shared lock
    (PostgreSQL): a withdrawal and a publication at the same moment wait for each other, so
    neither misses the other (publish_cycle holds the cycle's row for update)."""
    return db.session.scalar(
        select(AwardCycle.results_published_at).where(AwardCycle.id == cycle_id)
        .with_for_update(read=True)) is not None


def refresh_award(nomination):
    """Create, update or delete the nomination's public row to match what is allowed now."""
    row = db.session.scalar(select(PublicAward).filter_by(nomination_id=nomination.id))
    if not is_public(nomination):
        if row is not None:
            db.session.delete(row)
            db.session.flush()
        return None
    consent, decision = nomination.consent, nomination.decision
    name = shown_name(nomination.nominee_name, consent.name_display)
    photo = nomination.photo if consent.publish_photo else None
    fields = {
        "cycle_id": nomination.cycle_id, "category_id": nomination.category_id,
        "area_id": nomination.area_id if consent.publish_area else None,
        "photo_id": photo.id if photo else None,
        "outcome": decision.outcome,
        "display_name": name or ANONYMOUS_NAME, "is_anonymous": not name,
        "slug": slugify(strip_accents(name)) if name else "big-citizen",
        "citation": (public_citation(decision.citation, nomination.nominee_name, name)
                     if consent.publish_story else ""),
        "forwards_thanks": bool(nomination.nominee_email
                                and FORWARDING_CHOICES & set(consent.recognition or ())),
        **listing_fields(nomination.cycle, nomination.category),
    }
    if row is None:
        row = PublicAward(nomination_id=nomination.id, key=new_key())
        db.session.add(row)
    elif _narrows(row, fields):
        # Links shared while more was shown (with the full name in them) lead nowhere now.
        row.key = new_key()
    for field, value in fields.items():
        setattr(row, field, value)
    db.session.flush()
    return row


def listing_fields(cycle, category):
    """The cycle's and category's fields a public row keeps a copy of, to be listed in order
    and filtered from its own index."""
    return {"announced_on": cycle.announcement, "category_position": category.position,
            "category_slug": category.slug}


def follow_cycles_and_categories(app, session):
    """Session hook: a cycle's new announcement date or a category's new place or slug is
    copied to their public rows in the same transaction."""
    for obj in session.dirty:
        if isinstance(obj, (AwardCycle, Category)):
            state = inspect(obj)
            if isinstance(obj, AwardCycle) and state.attrs.announcement.history.has_changes():
                where = PublicAward.cycle_id == obj.id
                values = {"announced_on": obj.announcement}
            elif isinstance(obj, Category) and (state.attrs.position.history.has_changes()
                                                or state.attrs.slug.history.has_changes()):
                where = PublicAward.category_id == obj.id
                values = {"category_position": obj.position, "category_slug": obj.slug}
            else:
                continue
            session.connection().execute(update(PublicAward).where(where).values(values))


def new_key():
    """A random key for an award's address."""
    return secrets.token_hex(6)


def _narrows(row, fields):
    """Whether the new fields show less than the row does: another name, or a part gone."""
    return (fields["display_name"] != row.display_name
            or any(getattr(row, name) and not fields[name]
                   for name in ("area_id", "photo_id", "citation")))


def refresh_cycle(cycle):
    """Refresh every decided nomination of the cycle (after publication)."""
    nominations = db.session.scalars(
        select(Nomination).where(Nomination.cycle_id == cycle.id,
                                 Nomination.status == NominationStatus.OUTCOME)
        .options(selectinload(Nomination.consent), selectinload(Nomination.photo))
        .execution_options(populate_existing=True)  # consent as committed, not as first read
        .order_by(Nomination.id)).all()
    return [row for row in map(refresh_award, nominations) if row is not None]


def rebuild_all():
    """Refresh every published cycle's awards and drop any other row (`flask public
    rebuild`, after a restore or a manual fix); returns how many are public."""
    cycles = db.session.scalars(
        select(AwardCycle).where(AwardCycle.results_published_at.is_not(None))).all()
    kept = {row.id for cycle in cycles for row in refresh_cycle(cycle)}
    for row in db.session.scalars(select(PublicAward).where(PublicAward.id.not_in(kept))):
        db.session.delete(row)
    db.session.flush()
    return len(kept)


def on_consent_changed(app, nomination):
    """Receiver (connected in the factory): a consent answer changes the public row."""
    refresh_award(nomination)


def on_results_published(app, cycle):
    """Receiver (connected in the factory): publication lists the cycle's awards."""
    refresh_cycle(cycle)
