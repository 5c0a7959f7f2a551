"""One path for every e-mail: render, queue in the outbox, deliver after commit."""
from awards.core.mail.compose import queue_email

__all__ = ["queue_email"]
