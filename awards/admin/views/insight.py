"""What volunteers tell us, and what they got: the insight report, its CSV, and the review of
the words of "what support would help" before any of them appear in it."""
from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from awards.accounts.enums import Role
from awards.admin.forms.insight import LEAVE_OUT, SHOW, SupportReviewForm
from awards.admin.services import insight
from awards.core.arguments import int_arg
from awards.core.forms import EmptyForm
from awards.core.security import role_required
from awards.core.unit_of_work import apply_change
from awards.extensions import db
from awards.nominations import queries
from awards.nominations.models import AwardCycle, Consent

bp = Blueprint("insight", __name__, url_prefix="/admin/insight")


def _cycle():
    """The cycle asked for (?cycle=), else the newest; None when there is none."""
    cycle_id = int_arg("cycle")
    if cycle_id is not None:
        return db.get_or_404(AwardCycle, cycle_id)
    cycles = queries.all_cycles()
    return cycles[0] if cycles else None


def _scope(report):
    """The area asked for (?area=an id, or "none"), if the report has it; else every area."""
    asked = request.args.get("area", "")
    for key, _name in report.columns:
        if str(key) == asked:
            return key
    return insight.ALL


@bp.route("", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def report():
    """The report of a cycle, for every area or one; POST: the same as CSV (audited)."""
    cycle = _cycle()
    form = EmptyForm()
    if cycle is None:
        return render_template("admin/insight/report.html", cycle=None, form=form,
                               cycles=[])
    built = insight.build_report(cycle)
    scope = _scope(built)
    if form.validate_on_submit():
        downloaded = apply_change(lambda: insight.download_report(built, scope,
                                                                  actor=current_user))
        if downloaded:
            name = f"insight-{cycle.slug}-{scope}.csv"
            return Response(downloaded.value, mimetype="text/csv", headers={
                "Content-Disposition": f'attachment; filename="{name}"'})
    return render_template(
        "admin/insight/report.html", cycle=cycle, report=built, scope=scope, form=form,
        tables=insight.report_tables(built, scope), quotes=insight.quotes_for(built, scope),
        cycles=queries.all_cycles(), every_area=insight.ALL,
        waiting=len(insight.support_to_review(cycle)))


@bp.route("/support")
@role_required(Role.ADMIN)
def support_queue():
    """The answers about support waiting for a review before their words can be shown."""
    cycle = _cycle()
    return render_template(
        "admin/insight/support_queue.html", cycle=cycle, cycles=queries.all_cycles(),
        waiting=insight.support_to_review(cycle) if cycle else [])


@bp.route("/support/<int:consent_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def review_support(consent_id):
    """Review one answer for identifying details: the words to show, or leave it out."""
    consent = db.get_or_404(Consent, consent_id)
    if consent.nomination.is_draft:
        abort(404)
    review = insight.review_of(consent)
    form = SupportReviewForm(data={
        "decision": (SHOW if review.shown_text else LEAVE_OUT) if review else None,
        "shown_text": review.shown_text if review and review.shown_text
        else consent.support_needed})
    if form.validate_on_submit() and apply_change(
            lambda: insight.review_support(consent, **form.to_arguments(), actor=current_user),
            errors=form.form_errors, success=_("The answer has been reviewed.")):
        return redirect(url_for("insight.support_queue", cycle=consent.nomination.cycle_id))
    return render_template("admin/insight/review_support.html", consent=consent, form=form,
                           review=review)
