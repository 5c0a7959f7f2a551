"""The choices of judging: declarations, rounds, review states and outcomes."""
from flask_babel import lazy_gettext as _l

from awards.core.enums import LabelledEnum


class ConflictKind(LabelledEnum):
    """Why a member may not judge a nomination."""

    FAMILY = "family", _l("Family")
    FRIEND = "friend", _l("Friend")
    COLLEAGUE = "colleague", _l("Colleague")
    SAME_ORGANISATION = "same_organisation", _l("Same organisation")
    # blind panels only: the redacted story sounds like someone the member knows
    RECOGNISED = "recognised", _l("I think I know who this is")
    OTHER = "other", _l("Other")
    # set by a chair or admin, not declared by the member
    RECUSED = "recused", _l("Recused by the chair or an admin")


DECLARABLE = [kind for kind in ConflictKind
              if kind not in (ConflictKind.RECUSED, ConflictKind.RECOGNISED)]


def declarable(blind):
    """The kinds a member may declare: on a blind panel also "I think I know who this is"."""
    return [kind for kind in ConflictKind if kind is not ConflictKind.RECUSED
            and (blind or kind is not ConflictKind.RECOGNISED)]


class Hidden(LabelledEnum):
    """Why a nomination's result is not shown to the chair or member looking (its label says
    what to do about it)."""

    NOT_DECLARED = "not_declared", _l("Declare whether you have a conflict to see its results.")
    NOT_REVIEWED = "not_reviewed", _l("Submit your own review to see its results.")
    CONFLICT = "conflict", _l("You have a conflict of interest on this nomination.")


class Stage(LabelledEnum):
    """A panel's round: an optional eligibility pass, scoring, then a final round."""

    ELIGIBILITY = "eligibility", _l("Eligibility check")
    SCORING = "scoring", _l("Scoring")
    FINAL = "final", _l("Final round (shortlist)")


STAGE_TRANSITIONS = {
    Stage.ELIGIBILITY: {Stage.SCORING},
    Stage.SCORING: {Stage.FINAL},
    Stage.FINAL: set(),
}


class Outcome(LabelledEnum):
    """What the panel decided for a nomination."""

    WINNER = "winner", _l("Winner")
    HIGHLY_COMMENDED = "highly_commended", _l("Highly commended")
    NOT_SELECTED = "not_selected", _l("Not selected")

    @property
    def is_public(self):
        """Winners and highly commended are published (with their citation)."""
        return self is not Outcome.NOT_SELECTED


class Recipient(LabelledEnum):
    """Who an e-mail of the results goes to."""

    NOMINEE = "nominee", _l("Nominee")
    NOMINATOR = "nominator", _l("Nominator")
