"""The newsletter's business rules."""
from awards.core.services import ServiceError


class NewsletterError(ServiceError):
    """A newsletter change the rules do not allow."""
