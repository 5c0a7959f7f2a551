"""Whether the service's dependencies answer (for the health check)."""
from sqlalchemy import text

from awards.extensions import db


def database_answers():
    """True when the database answers a trivial query; else False, the session rolled back."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database means "unhealthy"
        db.session.rollback()
        return False
    return True
