"""Enums whose members carry their label for people."""
import enum

from wtforms.fields.choices import SelectChoice


class LabelledEnum(enum.Enum):
    """Members are declared as `DRAFT = "draft", _l("Draft")`: `.value` is the stored string,
    `.label` the (translatable) words people read."""

    def __new__(cls, value, label):
        member = object.__new__(cls)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def choices(cls, members=None):
        """(value, label) choices for a WTForms field: every member, or those given."""
        return [SelectChoice(member.value, member.label)
                for member in (cls if members is None else members)]
