"""Changes to what the public sees: the listing of awards, and thank-you messages."""
from awards.core.services import ServiceError


class PublicError(ServiceError):
    """A change the public pages refuse, with a message for the person."""
