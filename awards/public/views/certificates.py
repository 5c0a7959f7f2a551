"""Certificates (printable page and PDF) and the share image of each award."""
from flask import Blueprint, abort

bp = Blueprint("certificates", __name__)


@bp.route("/winners/<key>/certificate")
def certificate(key):
    """Placeholder until certificates land."""
    abort(404)


@bp.route("/winners/<key>/certificate.pdf")
def pdf(key):
    """Placeholder until certificates land."""
    abort(404)


@bp.route("/winners/<key>/share.png")
def share_image(key):
    """Placeholder until share images land."""
    abort(404)
