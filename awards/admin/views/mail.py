"""Mail status: the failed messages with their errors, sending them again, what waits."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from awards.accounts.enums import Role
from awards.admin.queries import mail as queries
from awards.admin.services import mail as service
from awards.core.arguments import MAX_ID, int_arg
from awards.core.forms import EmptyForm
from awards.core.mail.models import OutboxStatus
from awards.core.security import role_required
from awards.core.unit_of_work import apply_change

bp = Blueprint("admin_mail", __name__, url_prefix="/admin/mail")


@bp.route("")
@role_required(Role.ADMIN)
def index():
    """Failed messages (recipient, kind, subject, error; never the body) and the counts."""
    return render_template(
        "admin/mail/index.html", failed=queries.failed_messages(int_arg("page", 1)),
        pending=queries.count_with_status(OutboxStatus.PENDING),
        sending=queries.count_with_status(OutboxStatus.SENDING), form=EmptyForm())


@bp.route(f"/<int(max={MAX_ID}):message_id>/retry", methods=["POST"])
@role_required(Role.ADMIN)
def retry(message_id):
    """Send one failed message again."""
    message = queries.failed_message(message_id)
    if message is None:
        abort(404)
    if EmptyForm().validate_on_submit():
        apply_change(lambda: service.retry_messages([message], actor=current_user),
                     success=_("The message to %(recipient)s will be sent again.",
                               recipient=message.recipient))
    return redirect(url_for(".index"))


@bp.route("/retry", methods=["POST"])
@role_required(Role.ADMIN)
def retry_all():
    """Send every failed message again."""
    if EmptyForm().validate_on_submit():
        done = apply_change(lambda: service.retry_messages(queries.all_failed(),
                                                           actor=current_user))
        if done:
            flash(ngettext("%(num)d message will be sent again.",
                           "%(num)d messages will be sent again.", done.value), "success")
    return redirect(url_for(".index"))
