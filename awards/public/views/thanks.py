"""Say thank you: anyone leaves a message for a winner; admins moderate them."""
from flask import Blueprint, abort

bp = Blueprint("thanks", __name__)


@bp.route("/winners/<key>/thank-you", methods=["GET", "POST"])
def new(key):
    """Placeholder until the thank-you form lands."""
    abort(404)
