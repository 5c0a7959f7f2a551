"""The audit log's filters (a GET form: bookmarkable, no CSRF token) and its export form."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import NumberRange, Optional, ValidationError

from awards.admin.queries.audit import AuditFilters
from awards.core.arguments import MAX_ID
from awards.core.forms import BaseForm, single_line


class AuditFilterForm(BaseForm):
    """Who, what, which object and when: every field optional."""

    class Meta:
        csrf = False  # a search: it changes nothing, and its address can be shared

    actor = StringField(_l("Who did it"), filters=[single_line],
                        description=_l("Part of a name or e-mail address."),
                        validators=[Optional()])
    action = SelectField(_l("What they did"), validators=[Optional()])
    object_type = SelectField(_l("Kind of record"), validators=[Optional()])
    object_id = IntegerField(_l("Record number"), validators=[
        Optional(), NumberRange(min=1, max=MAX_ID, message=_l("Enter a record number."))])
    date_from = DateField(_l("From (date)"), validators=[Optional()],
                          description=_l("For example, 2026-12-01."))
    date_to = DateField(_l("To (date)"), validators=[Optional()],
                        description=_l("For example, 2026-12-31."))

    def __init__(self, *args, actions=(), object_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.action.choices = [("", _("Any action"))] + [(a, a) for a in actions]
        self.object_type.choices = [("", _("Any kind"))] + [(t, t) for t in object_types]

    def validate_actor(self, field):
        if field.data and len(field.data) > 100:
            raise ValidationError(_("Enter at most 100 characters."))

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_("The end date must be on or after the start date."))

    def to_filters(self):
        """The valid fields as AuditFilters (a field with an error filters nothing)."""
        def good(field):
            return None if field.errors or field.data in ("", None) else field.data
        return AuditFilters(actor=good(self.actor), action=good(self.action),
                            object_type=good(self.object_type), object_id=good(self.object_id),
                            date_from=good(self.date_from), date_to=good(self.date_to))


class AuditExportForm(AuditFilterForm):
    """The same filters, posted with a CSRF token: an export is recorded in the log."""

    class Meta:
        csrf = True
