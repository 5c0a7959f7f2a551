"""Supporters' pages: a statement from an e-mailed invitation or from a shared link."""
from flask import Blueprint, render_template
from flask_babel import gettext as _

from awards.core.forms import EmptyForm
from awards.core.links import object_from_link
from awards.core.security import rate_limit
from awards.core.unit_of_work import apply_change
from awards.nominations.forms import JoinStatementForm, StatementForm
from awards.nominations.models import Nomination, Supporter
from awards.nominations.services import supporters

bp = Blueprint("supporters", __name__, url_prefix="/support")


@bp.route("/<token>", methods=["GET", "POST"])
def statement(token):
    """An invited supporter writes (or edits) their statement."""
    supporter = object_from_link("supporter", Supporter, token)
    form = StatementForm.from_supporter(supporter)
    if form.validate_on_submit():
        if apply_change(lambda: supporters.add_statement(supporter, **form.to_arguments()),
                        errors=form.form_errors):
            return render_template("supporters/thanks.html", supporter=supporter)
    return render_template("supporters/statement.html", supporter=supporter,
                           nomination=supporter.nomination, form=form)


@bp.route("/join/<token>", methods=["GET", "POST"])
@rate_limit("RATELIMIT_SUPPORT")
def join(token):
    """Someone with the nominator's shared link adds a statement."""
    nomination = object_from_link("supporter-invite", Nomination, token)
    form = JoinStatementForm()
    if form.validate_on_submit():
        outcome = apply_change(lambda: supporters.join_as_supporter(
            nomination, **form.to_arguments()), errors=form.form_errors)
        if outcome:
            supporter = outcome.value
            return render_template("supporters/check_email.html", supporter=supporter)
    return render_template("supporters/statement.html", nomination=nomination, form=form,
                           joining=True)


@bp.route("/<token>/confirm", methods=["GET", "POST"])
def confirm(token):
    """Confirm a supporter's address so their statement counts (POST; GET shows a button)."""
    supporter = object_from_link("supporter", Supporter, token)
    form = EmptyForm()
    if form.validate_on_submit() and apply_change(
            lambda: supporters.confirm_supporter(supporter)):
        return render_template("supporters/thanks.html", supporter=supporter)
    return render_template("supporters/confirm.html", supporter=supporter, form=form,
                           title=_("Confirm your email address"))

