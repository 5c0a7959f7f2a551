"""Background work for judging: the daily reminders to members with reviews left."""
from awards.extensions import db
from awards.panels.services.reminders import send_reminders


def remind_members():
    """Send today's reminders and commit them (the outbox delivers after the commit);
    returns how many were sent. Safe to run more than once a day: each member gets one."""
    sent = send_reminders()
    db.session.commit()
    return sent
