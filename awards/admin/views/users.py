"""Admins find people's accounts, give or take away roles, and close or reopen accounts."""
from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from awards.accounts import queries, roles
from awards.accounts.enums import Role
from awards.accounts.models import User
from awards.admin.forms.users import RolesForm
from awards.core.arguments import int_arg
from awards.core.forms import EmptyForm
from awards.core.security import role_required
from awards.core.unit_of_work import apply_change
from awards.extensions import db

bp = Blueprint("users", __name__, url_prefix="/admin/users")


@bp.route("")
@role_required(Role.ADMIN)
def index():
    """Everyone with an account, found by name or e-mail address, a page at a time."""
    search = (request.args.get("q") or "").strip()[:100]
    page = queries.users_matching(search or None, page=int_arg("page", 1, maximum=100_000))
    return render_template("admin/users/index.html", page=page, search=search)


def _detail_page(user, form, status=200):
    return render_template("admin/users/detail.html", user=user, form=form,
                           status_form=EmptyForm()), status


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def detail(user_id):
    """One account: its roles (changed here), its panel places, and whether it is open."""
    user = db.get_or_404(User, user_id)
    form = RolesForm.from_user(user) if request.method == "GET" else RolesForm()
    if form.validate_on_submit() and apply_change(
            lambda: roles.set_roles(user, actor=current_user, **form.to_arguments()),
            errors=form, success=_("The roles of %(name)s have been saved.", name=user.name)):
        return redirect(url_for("users.detail", user_id=user.id))
    return _detail_page(user, form, 400 if form.errors else 200)


@bp.route("/<int:user_id>/deactivate", methods=["POST"])
@role_required(Role.ADMIN)
def deactivate(user_id):
    """Close the account: it cannot sign in, and every session it has ends now."""
    user = db.get_or_404(User, user_id)
    if EmptyForm().validate_on_submit():
        apply_change(lambda: roles.deactivate_user(user, actor=current_user),
                     success=_("The account of %(name)s is deactivated and signed out "
                               "everywhere.", name=user.name))
    return redirect(url_for("users.detail", user_id=user.id))


@bp.route("/<int:user_id>/reactivate", methods=["POST"])
@role_required(Role.ADMIN)
def reactivate(user_id):
    """Open a deactivated account again."""
    user = db.get_or_404(User, user_id)
    if EmptyForm().validate_on_submit():
        apply_change(lambda: roles.reactivate_user(user, actor=current_user),
                     success=_("The account of %(name)s is active again.", name=user.name))
    return redirect(url_for("users.detail", user_id=user.id))
