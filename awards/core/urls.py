"""Absolute URLs for e-mails, inside a request or outside one (CLI, workers, tests)."""
from flask import current_app, has_request_context, url_for


def external_url(endpoint, **values):
    """The absolute URL of `endpoint`: from the request's host, else from BASE_URL."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        return url_for(endpoint, _external=True, **values)
