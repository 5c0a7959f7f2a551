"""Background tasks that drain the outbox (registered on the app's queue by the factory)."""
from awards.core.mail.sender import deliver_pending


def deliver_outbox():
    """Deliver what is due now: queued after every commit that adds mail, and every minute
    (retries whose back-off has passed, mail queued while workers were down)."""
    deliver_pending()
