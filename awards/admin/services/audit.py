"""Export the audit log: the CSV of the filtered rows, and the export recorded in the log."""
from awards.admin.audit_csv import audit_csv
from awards.admin.queries.audit import audit_rows
from awards.core.audit import record
from awards.extensions import db


def export_audit(filters, *, actor):
    """The CSV of the rows matching `filters`; an `audit.exported` row records who exported
    what (the filters and the number of rows), and is not itself in this export."""
    rows = audit_rows(filters)
    record("audit.exported", None, actor=actor, rows=len(rows), **{
        f"filter_{name}": value for name, value in filters.as_args().items()})
    db.session.flush()
    return audit_csv(rows)
