"""Chairs' pages (admins see them too): progress, results, outliers, the CSV export,
rounds, the shortlist, recusals and decisions."""
from collections import Counter

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from awards.core.arguments import int_arg
from awards.core.forms import EmptyForm
from awards.core.unit_of_work import apply_change
from awards.panels import scoring
from awards.panels.access import (
    chair_view,
    conflicted,
    nomination_to_read,
    panel_nomination,
    sees_panel_view,
)
from awards.panels.enums import Stage
from awards.panels.forms import DecisionForm, RecuseForm
from awards.panels.links import NominationLinks
from awards.panels.queries import (
    conflicts_on,
    decisions_of,
    declarations_on,
    discussion,
    panel_nominations,
    review_scores,
    submitted_reviews,
)
from awards.panels.redaction import redactor
from awards.panels.services import declarations, deliberation
from awards.panels.services.results import (
    kept_declarations,
    progress,
    ranked_results,
    results_csv,
    results_page_of,
    rows_page,
)
from awards.panels.services.reviews import review_for
from awards.panels.services.rubric import criteria_of

bp = Blueprint("chair", __name__, url_prefix="/panel")


def _result_stage(panel):
    """The round whose results to show: ?round=scoring|final, else the latest scored one."""
    asked = request.args.get("round")
    if asked == Stage.SCORING.value or (asked != Stage.FINAL.value
                                        and panel.stage is not Stage.FINAL):
        return Stage.SCORING
    return Stage.FINAL


def _page_args(panel, stage):
    """The arguments of the links to the other pages of the results (same round, same
    normalisation)."""
    args = {"panel_id": panel.id, "round": stage.value}
    if request.args.get("normalised") == "1":
        args["normalised"] = 1
    return args


@bp.route("/<int:panel_id>/chair")
@login_required
def overview(panel_id):
    """Who has reviewed what, conflicts, results with ranks, outliers, and the rounds."""
    panel, viewer = chair_view(panel_id)
    stage = _result_stage(panel)
    eligibility, results = [], []
    declarations, decisions = kept_declarations(panel), decisions_of(panel)
    page = int_arg("page", 1, maximum=100_000)
    if panel.stage is Stage.ELIGIBILITY:
        answers = Counter((r.nomination_id, r.passes) for r in
                          review_scores(panel, Stage.ELIGIBILITY).values() if r.is_submitted)
        eligibility, pages = rows_page(
            [(n, answers[(n.id, True)], answers[(n.id, False)])
             for n in panel_nominations(panel, Stage.ELIGIBILITY, listed=True)], page)
    else:
        results, pages = results_page_of(panel, stage, viewer, page,
                                         declarations=declarations, decisions=decisions)
    left_out = [d for d in decisions.values() if d.passed_eligibility is False]
    return render_template(
        "panels/chair.html", panel=panel, viewer=viewer, stage=stage,
        progress=progress(panel, declarations), conflicts=conflicts_on(panel),
        results=results, pages=pages, page_args=_page_args(panel, stage),
        eligibility=eligibility, left_out=left_out,
        references={row.nomination.id: row.nomination.reference
                    for category in results for row in category.rows},
        names={member.id: member.name for member in panel.members},
        normalised=request.args.get("normalised") == "1", display=scoring.display,
        explanation=scoring.NORMALISATION_EXPLAINED, form=EmptyForm(),
        # Once per page, not per row: what the chair may do now, and the rows' addresses.
        deciding=panel.is_deciding, can_shortlist=panel.can_set_shortlisted(True),
        can_unshortlist=panel.can_set_shortlisted(False),
        nomination_url=NominationLinks(panel.id))


@bp.route("/<int:panel_id>/results.csv")
@login_required
def results_export(panel_id):
    """The results as a spreadsheet, as the overview shows them to this viewer (names left
    out for a blind panel)."""
    panel, viewer = chair_view(panel_id)
    stage = _result_stage(panel)
    body = results_csv(panel, stage, viewer=viewer, names=not panel.blind)
    filename = f"results-panel-{panel.id}-{stage.value}.csv"
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/<int:panel_id>/round", methods=["POST"])
@login_required
def change_round(panel_id):
    """Close the eligibility round, or open the final round on the shortlist."""
    panel, _viewer = chair_view(panel_id)
    form = EmptyForm()
    if form.validate_on_submit():
        if request.form.get("action") == "close-eligibility":
            apply_change(lambda: deliberation.close_eligibility_round(panel, actor=current_user),
                         success=_("The eligibility check is closed and scoring is open."))
        else:
            apply_change(lambda: deliberation.open_final_round(panel, actor=current_user),
                         success=_("The final round is open: members can now review the "
                                   "shortlist."))
    return redirect(url_for("chair.overview", panel_id=panel_id))


@bp.route("/<int:panel_id>/<reference>/shortlist", methods=["POST"])
@login_required
def shortlist(panel_id, reference):
    """Put a nomination on the shortlist, or take it off."""
    panel, viewer = chair_view(panel_id)
    nomination = conflicted(panel, viewer, panel_nomination(panel, reference))
    on = request.form.get("shortlisted") == "1"
    _apply(EmptyForm(), lambda: deliberation.set_shortlisted(panel, nomination, on,
                                                              actor=current_user),
           _("%(reference)s is on the shortlist.", reference=nomination.reference) if on else
           _("%(reference)s is off the shortlist.", reference=nomination.reference))
    return redirect(url_for("chair.overview", panel_id=panel_id, _anchor="results"))


@bp.route("/<int:panel_id>/<reference>/eligibility", methods=["POST"])
@login_required
def eligibility(panel_id, reference):
    """Bring back a nomination the eligibility check left out, or leave one out."""
    panel, viewer = chair_view(panel_id)
    nomination = conflicted(panel, viewer, panel_nomination(panel, reference))
    passes = request.form.get("passes") == "1"
    _apply(EmptyForm(), lambda: deliberation.set_eligibility(panel, nomination, passes,
                                                              actor=current_user),
           _("%(reference)s goes forward to scoring.", reference=nomination.reference) if passes
           else _("%(reference)s is left out of scoring.", reference=nomination.reference))
    return redirect(url_for("chair.overview", panel_id=panel_id))


def _apply(form, change, success):
    """Validate a button's form (CSRF) and apply `change`, flashing the result."""
    if form.validate_on_submit():
        apply_change(change, success=success)


@bp.route("/<int:panel_id>/<reference>/decision", methods=["GET", "POST"])
@login_required
def decide(panel_id, reference):
    """The chair's decision on one nomination: outcome, citation, rationale, feedback."""
    panel, viewer = chair_view(panel_id)
    nomination = nomination_to_read(panel, viewer, reference)
    form = _decision_form(panel, viewer, nomination)
    if form.validate_on_submit() and apply_change(
            lambda: deliberation.record_decision(panel, nomination, **form.to_arguments(),
                                                 actor=current_user), errors=form.form_errors):
        flash(_("The decision on %(reference)s is saved. It stays private until an admin "
                "publishes the results.", reference=nomination.reference), "success")
        return redirect(url_for("chair.overview", panel_id=panel_id, _anchor="results"))
    return _decision_page(panel, viewer, nomination, form, _recuse_form(panel, submitted=False))


def _hide(panel, viewer, nomination):
    """How the page shows the nomination's texts: redacted for a blind panel's chair (an
    admin off the panel, overseeing it, reads them as written)."""
    return redactor(panel, nomination) if viewer is not None else (lambda text: text or "")


def _decision_form(panel, viewer, nomination, submitted=True):
    """The decision form, filled from the saved decision or with a drafted citation
    (redacted for a blind panel's chair, like the story it is drafted from)."""
    drafted = _hide(panel, viewer, nomination)(deliberation.draft_citation(nomination))
    return DecisionForm.from_decision(nomination.decision, drafted,
                                      **({} if submitted else {"formdata": None}))


def _recuse_form(panel, submitted=True):
    """The recusal form, listing the panel's members."""
    form = RecuseForm() if submitted else RecuseForm(formdata=None)
    form.member_id.choices = [SelectChoice(0, _("Choose a member"))] + [
        SelectChoice(m.id, m.name) for m in panel.members]
    return form


def _decision_page(panel, viewer, nomination, form, recuse_form):
    """The decision page: the nomination's result, the reviews, the discussion, the forms."""
    results, _loaded = ranked_results(panel, viewer=viewer)
    row = next((row for category in results for row in category.rows
                if row.nomination_id == nomination.id), None)
    if row is not None:
        row.nomination = nomination
    reviews, comments = [], []
    if viewer is None or sees_panel_view(viewer, nomination,
                                         review_for(viewer, nomination)):
        reviews, comments = submitted_reviews(panel, nomination), discussion(panel, nomination)
    declared = declarations_on(panel, nomination)
    return render_template(
        "panels/decide.html", panel=panel, viewer=viewer, nomination=nomination, form=form,
        recuse_form=recuse_form, row=row, reviews=reviews, comments=comments,
        declared=declared, display=scoring.display,
        hide=_hide(panel, viewer, nomination),
        criteria={c.id: c for c in criteria_of(nomination.category)})


@bp.route("/<int:panel_id>/<reference>/recuse", methods=["POST"])
@login_required
def recuse(panel_id, reference):
    """Take a member off one nomination; their reviews leave its results."""
    panel, viewer = chair_view(panel_id)
    nomination = nomination_to_read(panel, viewer, reference)
    form = _recuse_form(panel)
    member = next((m for m in panel.members if m.id == form.member_id.data), None)
    if form.validate_on_submit() and member is not None and apply_change(
            lambda: declarations.recuse(member, nomination, form.reason.data,
                                        actor=current_user), errors=form.form_errors):
        flash(_("%(name)s is recused from %(reference)s.", name=member.name,
                reference=nomination.reference), "success")
        return redirect(url_for("chair.decide", panel_id=panel_id, reference=reference))
    if member is None and not form.member_id.errors:
        form.member_id.errors = [_("Choose the member")]
    return _decision_page(panel, viewer, nomination,
                          _decision_form(panel, viewer, nomination, False), form)
