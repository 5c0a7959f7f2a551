"""Background work for subscribing: unconfirmed addresses are not kept."""
from awards.extensions import db
from awards.newsletter.services.subscriptions import delete_unconfirmed_subscribers


def delete_unconfirmed():
    """Delete subscriptions left unconfirmed for 30 days, and commit; how many."""
    deleted = delete_unconfirmed_subscribers()
    db.session.commit()
    return deleted
