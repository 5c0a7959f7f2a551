"""The choices of judging: declarations, rounds, review states and outcomes."""
import enum

from flask_babel import lazy_gettext as _l


class ConflictKind(enum.Enum):
    """Why a member may not judge a nomination."""

    FAMILY = "family"
    FRIEND = "friend"
    COLLEAGUE = "colleague"
    SAME_ORGANISATION = "same_organisation"
    OTHER = "other"
    RECUSED = "recused"  # set by a chair or admin, not declared by the member

    @property
    def label(self):
        """The reason in plain words."""
        return {
            "family": _l("Family"), "friend": _l("Friend"), "colleague": _l("Colleague"),
            "same_organisation": _l("Same organisation"), "other": _l("Other"),
            "recused": _l("Recused by the chair or an admin"),
        }[self.value]


DECLARABLE = [kind for kind in ConflictKind if kind is not ConflictKind.RECUSED]


class Stage(enum.Enum):
    """A panel's round: an optional eligibility pass, scoring, then a final round."""

    ELIGIBILITY = "eligibility"
    SCORING = "scoring"
    FINAL = "final"

    @property
    def label(self):
        """The round in plain words."""
        return {"eligibility": _l("Eligibility check"), "scoring": _l("Scoring"),
                "final": _l("Final round (shortlist)")}[self.value]


class Outcome(enum.Enum):
    """What the panel decided for a nomination."""

    WINNER = "winner"
    HIGHLY_COMMENDED = "highly_commended"
    NOT_SELECTED = "not_selected"

    @property
    def label(self):
        """The outcome in plain words."""
        return {"winner": _l("Winner"), "highly_commended": _l("Highly commended"),
                "not_selected": _l("Not selected")}[self.value]

    @property
    def is_public(self):
        """Winners and highly commended are published (with their citation)."""
        return self is not Outcome.NOT_SELECTED
