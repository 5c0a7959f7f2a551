"""Data protection for admins: subject access (export) and erasure of one person's data."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user

from awards.accounts.enums import Role
from awards.admin.forms.privacy import ErasureForm, SubjectAccessForm
from awards.admin.services import erasure, subject_access
from awards.admin.services.sources import SOURCES
from awards.core.security import role_required
from awards.core.unit_of_work import apply_change

bp = Blueprint("privacy", __name__, url_prefix="/admin/privacy")


@bp.route("")
@role_required(Role.ADMIN)
def index():
    """What the data protection tools do, and the retention schedule in force."""
    return render_template("admin/privacy/index.html", config=current_app.config)


@bp.route("/access", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def access():
    """Everything held about one person: a page to read, or a JSON file to send them."""
    form = SubjectAccessForm()
    if form.validate_on_submit():
        done = apply_change(lambda: subject_access.export_person(
            **form.to_arguments(), actor=current_user), errors=form)
        if done and request.form.get("download") == "json":
            response = current_app.response_class(
                subject_access.export_json(done.value), mimetype="application/json")
            response.headers["Content-Disposition"] = (
                'attachment; filename="subject-access-export.json"')
            response.cache_control.no_store = True
            return response
        if done:
            labels = {source.name: source.label for source in SOURCES}
            return render_template("admin/privacy/export.html", export=done.value,
                                   labels=labels, form=form)
    return render_template("admin/privacy/access.html", form=form)


@bp.route("/erase", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def erase():
    """Erase one person's data, after the address is typed twice."""
    form = ErasureForm()
    if form.validate_on_submit():
        done = apply_change(lambda: erasure.erase_person(**form.to_arguments(),
                                                         actor=current_user), errors=form)
        if done:
            flash(ngettext("%(num)d record was erased or anonymised.",
                           "%(num)d records were erased or anonymised.",
                           sum(done.value.values())), "success")
            return redirect(url_for("privacy.erase"))
    return render_template("admin/privacy/erase.html", form=form)
