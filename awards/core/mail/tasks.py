"""Background tasks that drain the outbox."""
from huey import crontab

from awards.core.jobs import app_periodic_task, app_task
from awards.core.mail.sender import deliver_pending


@app_task()
def deliver_outbox():
    """Deliver what is due now (queued after every commit that adds mail)."""
    deliver_pending()


@app_periodic_task(crontab(minute="*"))
def deliver_outbox_every_minute():
    """Pick up retries whose back-off has passed, and mail queued while workers were down."""
    deliver_pending()
