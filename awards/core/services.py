"""What every feature's services share: the error for a change the rules refuse."""


class ServiceError(Exception):
    """A change the rules do not allow, with a message for the person."""

