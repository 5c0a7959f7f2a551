"""Changes to nominations: each function audits, queues mail and flushes; the caller commits."""


class NominationError(Exception):
    """A change that the rules do not allow, with a message for the person."""
