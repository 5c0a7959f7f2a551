"""Changes to panels: each function audits, queues mail and flushes; the caller commits."""

from awards.core.services import ServiceError


class PanelError(ServiceError):
    """A judging change that the rules do not allow, with a message for the person."""
