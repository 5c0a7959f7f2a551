"""Changes to what the public sees: the listing of awards, and thank-you messages."""


class PublicError(Exception):
    """A change the public pages refuse, with a message for the person."""
