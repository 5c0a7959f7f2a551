"""The nominee's consent page (or a parent's or guardian's), reached from their e-mailed link."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from awards.core.forms import EmptyForm
from awards.core.links import object_from_link
from awards.core.services import commit_or_report
from awards.extensions import db
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


def consent_form_values(consent):
    """The saved answer, as the consent form expects it."""
    answered = consent.status in {ConsentStatus.ACCEPTED, ConsentStatus.DECLINED}
    return {
        "decision": consent.status.value if answered else None,
        "name_display": consent.name_display.value,
        "publish_story": consent.publish_story, "publish_photo": consent.publish_photo,
        "publish_area": consent.publish_area, "in_newsletter": consent.in_newsletter,
        "recognition": consent.recognition, "support_needed": consent.support_needed,
        "guardian_name": consent.guardian_name,
    }


def consent_arguments(form):
    """The service's arguments from a filled consent form."""
    return dict(
        status=form.decision.data, name_display=form.name_display.data or "first_initial",
        publish_photo=form.publish_photo.data, publish_story=form.publish_story.data,
        publish_area=form.publish_area.data, in_newsletter=form.in_newsletter.data,
        recognition=form.recognition.data or [], support_needed=form.support_needed.data,
        guardian_name=form.guardian_name.data,
    )


@bp.route("/<token>", methods=["GET", "POST"])
def consent(token):
    """Say yes or no, choose what may be published and how to be thanked; change it any time."""
    nomination = nomination_for_nominee(token)
    form = ConsentForm(data=consent_form_values(nomination.consent))
    if form.validate_on_submit():
        if commit_or_report(form.form_errors, lambda: save_consent(
            nomination, **consent_arguments(form))):
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
            withdraw_consent(nomination)
            db.session.commit()
            flash(_("You have withdrawn. Nothing about you will be published."), "success")
    return redirect(url_for("consent.consent", token=token))
