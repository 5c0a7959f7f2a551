"""The newsletter's background tasks and the session hook that starts them (connected in the
factory: awards/__init__.py register_hooks and register_jobs)."""
from sqlalchemy.orm import Session

from awards.core.jobs import job_queue
from awards.extensions import db
from awards.newsletter.delivery import claims
from awards.newsletter.services.sending import SEND_QUEUED


def deliver_issue(issue_id):
    """Send an issue's due copies until none is left to claim (several of these, in several
    workers, share one issue: each claims its own batches)."""
    # Here, not at the top: every web worker imports this module, and what builds the
    # messages (email.policy, 0.4 MB) is needed only where an issue is sent.
    from awards.newsletter.delivery.worker import work

    return work(issue_id)


def deliver_due_newsletters():
    """Every minute: give the rows of dead workers back, finish issues with nothing left,
    and start a delivery task for every issue with copies due (retries, released rows)."""
    with Session(db.engine, expire_on_commit=False) as session:
        claims.release_expired(session)
        claims.finish_issues(session)
        due = claims.due_issues(session)
    for issue_id in due:
        job_queue().enqueue(deliver_issue, issue_id)
    return due


def deliver_after_commit(app, session):
    """Session hook: once a send (or resume, or retry) is committed, queue the delivery tasks
    (NEWSLETTER_WORKERS of them per issue, which share its rows)."""
    if session.in_nested_transaction():
        return  # a savepoint was released; the outer transaction is still open
    issue_ids = session.info.pop(SEND_QUEUED, None)
    for issue_id in sorted(issue_ids or ()):
        for _ in range(max(1, app.config["NEWSLETTER_WORKERS"])):
            job_queue(app).enqueue(deliver_issue, issue_id)


def forget_after_rollback(app, session):
    """Session hook: a rolled-back send was never started."""
    session.info.pop(SEND_QUEUED, None)

