"""The audit log: every recorded change, filtered and paged; the CSV export (itself
recorded). Read only: no page changes or removes an entry."""
from flask import Blueprint, Response, render_template, request
from flask_login import current_user

from awards.accounts.enums import Role
from awards.admin.forms.audit import AuditExportForm, AuditFilterForm
from awards.admin.queries import audit as queries
from awards.admin.services.audit import export_audit
from awards.core.arguments import int_arg
from awards.core.dates import scheme_today
from awards.core.forms import EmptyForm
from awards.core.security import role_required
from awards.core.unit_of_work import apply_change

bp = Blueprint("admin_audit", __name__, url_prefix="/admin/audit")


def _choices():
    return {"actions": queries.actions(), "object_types": queries.object_types()}


@bp.route("")
@role_required(Role.ADMIN)
def index():
    """One page of the events matching the filters, newest first."""
    form = AuditFilterForm(formdata=request.args or None, **_choices())
    if request.args:
        form.validate()
    filters = form.to_filters()
    events = queries.audit_page(filters, int_arg("page", 1))
    return render_template("admin/audit/index.html", form=form, filters=filters,
                           events=events, actors=queries.actors_of(events.items),
                           export_form=EmptyForm())


@bp.route("/export", methods=["POST"])
@role_required(Role.ADMIN)
def export():
    """The filtered events as CSV; the export is recorded in the log."""
    form = AuditExportForm(**_choices())
    form.validate()  # a field with an error filters nothing (as on the page)
    filters = form.to_filters()
    exported = apply_change(lambda: export_audit(filters, actor=current_user))
    filename = f"audit-log-{scheme_today().isoformat()}.csv"
    return Response(exported.value, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})

