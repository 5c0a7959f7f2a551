"""The one place a panel moves from round to round."""
from flask_babel import gettext as _

from awards.core.audit import record
from awards.panels.enums import STAGE_TRANSITIONS, Stage
from awards.panels.services import PanelError


class IllegalStageChange(PanelError):
    """A change of round the panel's transitions do not allow."""


def change_stage(panel, to, *, actor=None, **details):
    """Move `panel` to round `to`, or raise IllegalStageChange; the change is audited."""
    to = Stage(to)
    before = panel.stage
    if to not in STAGE_TRANSITIONS[before]:
        raise IllegalStageChange(_("The panel cannot go from “%(before)s” to “%(after)s”.",
                                   before=before.label, after=to.label))
    panel.stage = to
    record("panel.stage_changed", panel, actor=actor, from_state=before, to_state=to,
           **details)
