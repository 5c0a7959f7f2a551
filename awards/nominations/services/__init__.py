"""Changes to nominations: each function audits, queues mail and flushes; the caller commits."""

from awards.core.services import ServiceError


class NominationError(ServiceError):
    """A change that the rules do not allow, with a message for the person."""
