"""Say thank you: anyone leaves a message for a winner; admins moderate them."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from awards.accounts.enums import Role
from awards.core.forms import EmptyForm
from awards.core.security import rate_limit, role_required
from awards.core.unit_of_work import apply_change
from awards.extensions import db
from awards.public.access import award_or_404
from awards.public.enums import ThanksStatus
from awards.public.forms import ThankYouForm
from awards.public.models import ThankYou
from awards.public.services import thanks as service

bp = Blueprint("thanks", __name__)


@bp.route("/winners/<key>/thank-you", methods=["GET", "POST"])
@rate_limit("RATELIMIT_THANKS")
def new(key):
    """Leave a short message for a winner; it is shown once a moderator has checked it."""
    award = award_or_404(key)
    form = ThankYouForm()
    if form.validate_on_submit():  # a filled honeypot fails here, and nothing is saved
        left = apply_change(lambda: service.leave_thanks(
            award, form.message.data, form.author_name.data), errors=form.message.errors)
        if left:
            return redirect(url_for(".sent", reference=left.value.reference))
    return render_template("public/thank_you.html", award=award, form=form)


@bp.route("/thank-you/<reference>")
def sent(reference):
    """The confirmation: the reference number, and none of the message itself."""
    thanks = service.thanks_by_reference(reference)
    award = thanks and service.award_for(thanks)
    if award is None:  # an unknown reference, or a nominee who has since withdrawn
        abort(404)
    return render_template("public/thank_you_sent.html", award=award, thanks=thanks)


@bp.route("/admin/thanks")
@role_required(Role.ADMIN)
def queue():
    """Messages waiting to be checked, oldest first, then the ones checked recently."""
    return render_template("public/thanks_queue.html", pending=service.pending_thanks(),
                           pending_total=service.pending_count(),
                           recent=service.recently_moderated(), form=EmptyForm())


@bp.route("/admin/thanks/<int(max=2147483647):thanks_id>/<any(approve,reject):action>",
          methods=["POST"])
@role_required(Role.ADMIN)
def moderate(thanks_id, action):
    """Approve or reject a message (or undo an earlier decision), then back to the queue."""
    thanks = db.get_or_404(ThankYou, thanks_id)
    if EmptyForm().validate_on_submit():
        already_forwarded = thanks.forwarded_at is not None
        if apply_change(lambda: service.moderate_thanks(
                thanks, action == "approve", current_user)):
            flash(_moderated_message(thanks, already_forwarded), "success")
    return redirect(url_for(".queue"))


def _moderated_message(thanks, already_forwarded):
    if thanks.status is ThanksStatus.REJECTED:
        return _("Message %(reference)s will not be shown.", reference=thanks.reference)
    if thanks.forwarded_at is not None and not already_forwarded:
        return _("Message %(reference)s is now shown, and we have passed it on to the "
                 "nominee.", reference=thanks.reference)
    return _("Message %(reference)s is now shown.", reference=thanks.reference)
