"""Admins set up panels, members and rubrics, and publish a cycle's results."""
from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import exists, select

from awards.accounts.enums import Role
from awards.core.forms import EmptyForm
from awards.core.security import role_required
from awards.core.unit_of_work import apply_change
from awards.extensions import db
from awards.nominations.models import AwardCycle, Category
from awards.panels.admin_forms import (
    CriterionForm,
    EditPanelForm,
    InviteMemberForm,
    PanelForm,
    PublishForm,
)
from awards.panels.enums import Outcome
from awards.panels.models import Criterion, Panel, PanelMember
from awards.panels.queries import panels_of
from awards.panels.services import membership, publication
from awards.panels.services import rubric as rubrics

bp = Blueprint("panel_admin", __name__, url_prefix="/admin")

# What each of publication's messages says, for the confirmation screen.
MESSAGE_LABELS = {
    "winner": _l("Congratulations: a winner"),
    "commended": _l("Congratulations: highly commended"),
    "thank_you": _l("Thank you for taking part"),
    "outcome": _l("The outcome of their nomination"),
}


# --- panels ----------------------------------------------------------------------------------

@bp.route("/cycles/<int:cycle_id>/panels")
@role_required(Role.ADMIN)
def panels(cycle_id):
    """A cycle's panels, with their categories, members, chairs, options and round."""
    cycle = db.get_or_404(AwardCycle, cycle_id)
    return render_template("panel_admin/panels.html", cycle=cycle, panels=panels_of(cycle))


@bp.route("/cycles/<int:cycle_id>/panels/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_panel(cycle_id):
    """Create a panel for a cycle."""
    return _panel_form(db.get_or_404(AwardCycle, cycle_id), None)


@bp.route("/panels/<int:panel_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_panel(panel_id):
    """Change a panel's name, categories and options."""
    panel = db.get_or_404(Panel, panel_id)
    return _panel_form(panel.cycle, panel)


def _panel_form(cycle, panel):
    form = PanelForm() if panel is None else EditPanelForm.from_panel(panel)
    form.offer_categories(_choosable_categories(cycle, panel))
    if form.validate_on_submit():
        outcome = apply_change(lambda: membership.save_panel(
            cycle, panel, **form.to_arguments(), actor=current_user), errors=form.form_errors)
        if outcome:
            flash(_("%(name)s has been saved.", name=outcome.value.name) if panel else
                  _("%(name)s has been created. Now invite its members.",
                    name=outcome.value.name), "success")
            return redirect(url_for("panel_admin.panel", panel_id=outcome.value.id))
    return render_template("panel_admin/panel_form.html", form=form, cycle=cycle, panel=panel)


def _choosable_categories(cycle, panel):
    """(category, label) for the cycle's live categories (and any the panel already judges),
    each saying which other panel already judges it."""
    judged_by = {category_id: other.name for other in panels_of(cycle) if other is not panel
                 for category_id in other.category_ids}
    mine = panel.category_ids if panel else set()
    choosable = []
    for category in cycle.categories:
        if category.archived_at is not None and category.id not in mine:
            continue
        label = category.name
        if category.id in judged_by:
            label = _("%(category)s (judged by %(panel)s)", category=category.name,
                      panel=judged_by[category.id])
        choosable.append((category, label))
    return choosable


@bp.route("/panels/<int:panel_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def panel(panel_id):
    """A panel: its options, categories and members, and a form to invite a member."""
    panel = db.get_or_404(Panel, panel_id)
    form = InviteMemberForm()
    if form.validate_on_submit():
        outcome = apply_change(lambda: membership.invite_member(
            panel, form.name.data, form.email.data, chair=form.chair.data, actor=current_user),
            errors=form.email.errors)
        if outcome:
            flash(_("%(email)s has been added to the panel and sent an invitation.",
                    email=outcome.value.user.email), "success")
            return redirect(url_for("panel_admin.panel", panel_id=panel.id))
    return render_template("panel_admin/panel.html", panel=panel, form=form,
                           action_form=EmptyForm())


@bp.route("/panels/<int:panel_id>/members/<int:member_id>/<any(chair,unchair,remove):action>",
          methods=["POST"])
@role_required(Role.ADMIN)
def member(panel_id, member_id, action):
    """Make a member a chair, stop them being one, or take them off the panel."""
    member = db.get_or_404(PanelMember, member_id)
    if member.panel_id != panel_id:
        abort(404)
    form = EmptyForm()
    if form.validate_on_submit():
        name = member.name
        if action == "remove" and request.form.get("confirmed") != "yes":
            consequences = membership.removal_consequences(member)
            if consequences.needs_confirmation:
                return render_template("panel_admin/remove_member.html", member=member,
                                       consequences=consequences, form=form)
        apply_change(lambda: _change_member(member, action), success={
            "chair": _("%(name)s is now a chair of the panel.", name=name),
            "unchair": _("%(name)s is no longer a chair.", name=name),
            "remove": _("%(name)s has been taken off the panel.", name=name)}[action])
    return redirect(url_for("panel_admin.panel", panel_id=panel_id))


def _change_member(member, action):
    if action == "remove":
        membership.remove_member(member, actor=current_user)
    else:
        membership.set_chair(member, action == "chair", actor=current_user)


# --- rubrics ---------------------------------------------------------------------------------

@bp.route("/categories/<int:category_id>/rubric", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def rubric(category_id):
    """A category's rubric, and a form to add a criterion."""
    category = db.get_or_404(Category, category_id)
    if request.form.get("use_default"):
        if EmptyForm().validate_on_submit():
            # saves the default rubric for the category
            apply_change(lambda: rubrics.criteria_of(category))
        return redirect(url_for("panel_admin.rubric", category_id=category.id))
    form = CriterionForm()
    if form.validate_on_submit():
        if apply_change(lambda: rubrics.save_criterion(
                category, None, form.values(), actor=current_user), errors=form.form_errors):
            flash(_("%(name)s has been added to the rubric.", name=form.name.data), "success")
            return redirect(url_for("panel_admin.rubric", category_id=category.id))
    saved = db.session.scalar(select(exists().where(Criterion.category_id == category.id)))
    # A page view changes nothing: a category without criteria of its own is shown the
    # default rubric, which is saved for it when a panel takes it on or the admin asks.
    criteria = rubrics.criteria_of(category) if saved else _default_rubric()
    return render_template("panel_admin/rubric.html", category=category, criteria=criteria,
                           saved=saved, form=form, use_default_form=EmptyForm(),
                           fixed=saved and rubrics.scoring_started(category),
                           judged_by=_panel_judging(category))


def _default_rubric():
    """The default criteria as unsaved objects, to show."""
    return [Criterion(name=name, question=question, weight=weight, anchors=rubrics.ANCHORS[key],
                      scale_min=0, scale_max=5, position=position)
            for position, (key, name, question, weight)
            in enumerate(rubrics.DEFAULT_RUBRIC, start=1)]


def _panel_judging(category):
    """The panel that judges the category, or None."""
    return next((p for p in panels_of(category.cycle) if category.id in p.category_ids), None)


@bp.route("/criteria/<int:criterion_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def criterion(criterion_id):
    """Change one criterion of a rubric."""
    criterion = db.get_or_404(Criterion, criterion_id)
    category = db.get_or_404(Category, criterion.category_id)
    form = CriterionForm(data={
        "name": criterion.name, "question": criterion.question,
        "weight": Decimal(format(criterion.weight, "g")),
        "anchors": "\n".join(criterion.anchors or [])})
    if form.validate_on_submit():
        if apply_change(lambda: rubrics.save_criterion(
                category, criterion, form.values(), actor=current_user), errors=form.form_errors):
            flash(_("Your changes to %(name)s have been saved.", name=form.name.data),
                  "success")
            return redirect(url_for("panel_admin.rubric", category_id=category.id))
    return render_template("panel_admin/criterion.html", category=category, criterion=criterion,
                           form=form, delete_form=EmptyForm(),
                           fixed=rubrics.scoring_started(category))


@bp.route("/criteria/<int:criterion_id>/delete", methods=["POST"])
@role_required(Role.ADMIN)
def delete_criterion(criterion_id):
    """Remove a criterion from its rubric (only before scoring starts)."""
    criterion = db.get_or_404(Criterion, criterion_id)
    category = db.get_or_404(Category, criterion.category_id)
    if EmptyForm().validate_on_submit():
        apply_change(lambda: rubrics.delete_criterion(category, criterion, actor=current_user),
                     success=_("%(name)s has been removed from the rubric.", name=criterion.name))
    return redirect(url_for("panel_admin.rubric", category_id=category.id))


# --- publication -----------------------------------------------------------------------------

@bp.route("/cycles/<int:cycle_id>/publish", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def publish(cycle_id):
    """What publishing the cycle's results will fix and send; publish once confirmed."""
    cycle = db.get_or_404(AwardCycle, cycle_id)
    form = PublishForm()
    if form.validate_on_submit():
        outcome = apply_change(lambda: publication.publish_cycle(
            cycle, actor=current_user), errors=form.form_errors)
        if outcome:
            sent = len(outcome.value.messages)
            flash(ngettext("Results published: %(num)d e-mail is on its way.",
                           "Results published: %(num)d e-mails are on their way.", sent),
                  "success")
            return redirect(url_for("setup.cycle", cycle_id=cycle.id))
    return render_template("panel_admin/publish.html", cycle=cycle, form=form,
                           plan=publication.publication_plan(cycle), outcomes=list(Outcome),
                           message_labels=MESSAGE_LABELS)
