"""Reminders to panel members with reviews still to do before judging ends."""
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from awards.core.db import utcnow
from awards.extensions import db
from awards.nominations.models import AwardCycle, today
from awards.panels import emails
from awards.panels.models import Panel
from awards.panels.queries import judge_queue


def send_reminders(day=None):
    """E-mail each member of a panel whose judging ends within REMINDER_DAYS and who has
    reviews left, at most once a day. Returns how many were sent."""
    day = day or today()
    horizon = day + timedelta(days=current_app.config["REMINDER_DAYS"])
    panels = db.session.scalars(select(Panel).join(AwardCycle).where(
        AwardCycle.judging_ends >= day, AwardCycle.judging_ends <= horizon,
        AwardCycle.nominations_close < day, AwardCycle.results_published_at.is_(None)))
    sent = 0
    for panel in panels:
        for member in panel.members:
            if member.reminded_on is not None and member.reminded_on.date() == day:
                continue
            left = [n for n, declaration, review in judge_queue(member)
                    if not (review and review.is_submitted)
                    and not (declaration and declaration.conflicted)]
            if left:
                emails.send_reminder(member, len(left))
                member.reminded_on = utcnow()
                sent += 1
    db.session.flush()
    return sent
