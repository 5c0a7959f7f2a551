"""What every feature's services share: the error for a change the rules refuse."""


class ServiceError(Exception):
    """A change the rules do not allow, with a message for the person."""


def commit_or_report(errors, change):
    """Deprecated: use `awards.core.unit_of_work.apply_change` (kept while views move over)."""
    from awards.core.unit_of_work import apply_change

    return apply_change(change, errors=errors)
