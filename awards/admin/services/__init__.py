"""The admin shell's changes, one module per topic."""
from awards.core.services import ServiceError


class AdminError(ServiceError):
    """An admin action the rules refuse."""
