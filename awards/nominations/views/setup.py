"""Admin screens to set up award cycles, their categories, and the areas."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from awards.accounts.enums import Role
from awards.core.forms import EmptyForm
from awards.core.security import role_required
from awards.core.unit_of_work import apply_change
from awards.extensions import db
from awards.nominations import queries
from awards.nominations.forms import AreaForm, CategoryForm, CopyCycleForm, CycleForm
from awards.nominations.models import Area, AwardCycle, Category, today
from awards.nominations.services import setup as services

bp = Blueprint("setup", __name__, url_prefix="/admin")


@bp.before_request
@role_required(Role.ADMIN)
def admins_only():
    """Every page here is for admins."""


@bp.route("/setup")
def index():
    """Where every admin page starts: moderation, thanks, areas, and each cycle's pages."""
    return render_template("setup/index.html", cycles=queries.all_cycles())


@bp.route("/cycles")
def cycles():
    """Every cycle with its phase."""
    return render_template("setup/cycles.html", cycles=queries.all_cycles(), form=EmptyForm())


@bp.route("/cycles/new", methods=["GET", "POST"])
def new_cycle():
    """Create a cycle."""
    form = CycleForm(data=services.default_dates(today()))
    if form.validate_on_submit():
        outcome = apply_change(lambda: services.save_cycle(
            None, form.to_arguments(), actor=current_user), errors=form.form_errors)
        if outcome:
            cycle = outcome.value
            flash(_("%(name)s has been created. Now add its categories.", name=cycle.name),
                  "success")
            return redirect(url_for("setup.cycle", cycle_id=cycle.id))
    return render_template("setup/cycle_form.html", form=form, cycle=None)


@bp.route("/cycles/<int:cycle_id>")
def cycle(cycle_id):
    """A cycle, its dates, phase and categories."""
    return render_template("setup/cycle.html", cycle=db.get_or_404(AwardCycle, cycle_id),
                           form=EmptyForm())


@bp.route("/cycles/<int:cycle_id>/edit", methods=["GET", "POST"])
def edit_cycle(cycle_id):
    """Change a cycle's name, description or dates."""
    cycle = db.get_or_404(AwardCycle, cycle_id)
    form = CycleForm(obj=cycle)
    if form.validate_on_submit():
        consequences = services.date_change_consequences(cycle, form.to_arguments())
        if consequences and not _confirmed():
            return render_template("setup/confirm.html", cycle=cycle, form=form,
                                   consequences=consequences, action="dates",
                                   target=url_for("setup.edit_cycle", cycle_id=cycle.id))
        if apply_change(lambda: services.save_cycle(
            cycle, form.to_arguments(), actor=current_user), errors=form.form_errors):
            flash(_("Your changes have been saved."), "success")
            return redirect(url_for("setup.cycle", cycle_id=cycle.id))
    return render_template("setup/cycle_form.html", form=form, cycle=cycle)


@bp.route("/cycles/<int:cycle_id>/copy", methods=["GET", "POST"])
def copy_cycle(cycle_id):
    """Start next year's cycle from this one."""
    source = db.get_or_404(AwardCycle, cycle_id)
    form = CopyCycleForm()
    if form.validate_on_submit():
        outcome = apply_change(lambda: services.copy_cycle(
            source, form.name.data, actor=current_user), errors=form.name.errors)
        if outcome:
            cycle = outcome.value
            flash(_("%(name)s has been created from %(source)s. Check its dates.",
                    name=cycle.name, source=source.name), "success")
            return redirect(url_for("setup.edit_cycle", cycle_id=cycle.id))
    return render_template("setup/copy_cycle.html", form=form, source=source)


@bp.route("/<any(cycles,categories,areas):kind>/<int:item_id>/<any(archive,restore):action>",
          methods=["POST"])
def archive(kind, item_id, action):
    """Archive or restore a cycle, category or area."""
    model = {"cycles": AwardCycle, "categories": Category, "areas": Area}[kind]
    item = db.get_or_404(model, item_id)
    form = EmptyForm()
    if form.validate_on_submit():
        if kind == "cycles" and action == "archive" and not _confirmed():
            return render_template(
                "setup/confirm.html", cycle=item, form=form, action="archive",
                consequences=services.archive_consequences(item),
                target=url_for("setup.archive", kind=kind, item_id=item_id, action=action))
        change = services.archive if action == "archive" else services.restore
        apply_change(lambda: change(item, actor=current_user),
                     success=_("%(name)s has been %(done)s.", name=item.name,
                               done=_("archived") if action == "archive" else _("restored")))
    if kind == "categories":
        return redirect(url_for("setup.cycle", cycle_id=item.cycle_id))
    return redirect(url_for("setup.areas" if kind == "areas" else "setup.cycles"))


def _confirmed():
    """Whether the admin pressed the button on the page that said what will happen."""
    return request.form.get("confirmed") == "yes"


@bp.route("/cycles/<int:cycle_id>/categories/new", methods=["GET", "POST"])
def new_category(cycle_id):
    """Add a category to a cycle."""
    return _category_page(db.get_or_404(AwardCycle, cycle_id), None)


@bp.route("/categories/<int:category_id>/edit", methods=["GET", "POST"])
def edit_category(category_id):
    """Change a category."""
    category = db.get_or_404(Category, category_id)
    return _category_page(category.cycle, category)


def _category_page(cycle, category):
    form = CategoryForm(obj=category)
    if form.validate_on_submit():
        if apply_change(lambda: services.save_category(
            cycle, category, form.to_arguments(), actor=current_user), errors=form.form_errors):
            flash(_("The category has been saved."), "success")
            return redirect(url_for("setup.cycle", cycle_id=cycle.id))
    return render_template("setup/category_form.html", form=form, cycle=cycle,
                           category=category)


@bp.route("/areas", methods=["GET", "POST"])
def areas():
    """The list of areas, and a form to add one."""
    form = AreaForm()
    if form.validate_on_submit():
        if apply_change(lambda: services.save_area(
            None, form.name.data, actor=current_user), errors=form.name.errors):
            flash(_("%(name)s has been added.", name=form.name.data.strip()), "success")
            return redirect(url_for("setup.areas"))
    return render_template("setup/areas.html", form=form, areas=queries.all_areas(),
                           archive_form=EmptyForm())


@bp.route("/areas/<int:area_id>/edit", methods=["GET", "POST"])
def edit_area(area_id):
    """Rename an area."""
    area = db.get_or_404(Area, area_id)
    form = AreaForm(obj=area)
    if form.validate_on_submit():
        if apply_change(lambda: services.save_area(
            area, form.name.data, actor=current_user), errors=form.name.errors):
            flash(_("The area has been renamed."), "success")
            return redirect(url_for("setup.areas"))
    return render_template("setup/area_form.html", form=form, area=area)
