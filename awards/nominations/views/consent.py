"""The nominee's consent page (or a parent's or guardian's), reached from their e-mailed link."""
from flask import Blueprint, abort, flash, redirect, render_template, send_from_directory, url_for
from flask_babel import gettext as _

from awards.core.forms import EmptyForm
from awards.core.links import object_from_link
from awards.core.unit_of_work import apply_change
from awards.core.uploads import upload_dir
from awards.nominations.enums import ConsentStatus
from awards.nominations.forms import ConsentForm
from awards.nominations.models import Nomination
from awards.nominations.services.consent import save_consent, withdraw_consent

bp = Blueprint("consent", __name__, url_prefix="/consent")


def nomination_for_nominee(token):
    """The nomination a nominee's link points to, or 404."""
    nomination = object_from_link("nominee", Nomination, token)
    if nomination.consent is None:
        abort(404)
    return nomination


@bp.route("/<token>", methods=["GET", "POST"])
def consent(token):
    """Say yes or no, choose what may be published and how to be thanked; change it any time."""
    nomination = nomination_for_nominee(token)
    form = ConsentForm.from_consent(nomination.consent)
    if form.validate_on_submit():
        if apply_change(lambda: save_consent(
            nomination, **form.to_arguments()), errors=form.form_errors):
            flash(_("Thank you. Your answer has been saved. You can change it at any time "
                    "from the link in your email."), "success")
            return redirect(url_for("consent.consent", token=token))
    return render_template("consent/consent.html", nomination=nomination, form=form,
                           token=token, withdraw_form=EmptyForm())


@bp.route("/<token>/withdraw", methods=["POST"])
def withdraw(token):
    """Withdraw consent at once."""
    nomination = nomination_for_nominee(token)
    if EmptyForm().validate_on_submit():
        if nomination.consent.status is ConsentStatus.ACCEPTED:
            apply_change(lambda: withdraw_consent(nomination),
                         success=_("You have withdrawn. Nothing about you will be published."))
    return redirect(url_for("consent.consent", token=token))


@bp.route("/<token>/photo")
def photo(token):
    """The photo sent with the nomination, for the nominee deciding whether it may be
    published (only through their link)."""
    nomination = nomination_for_nominee(token)
    if nomination.photo is None:
        abort(404)
    response = send_from_directory(upload_dir(), nomination.photo.display_name,
                                   mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, no-store"
    return response
