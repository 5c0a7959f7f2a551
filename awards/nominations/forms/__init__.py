"""Nomination forms, by what they are for; every public name can be imported from here."""
from awards.nominations.forms.consent import (
    ConsentForm,
    RecordConsentForm,
)
from awards.nominations.forms.fields import (
    EMAIL_FORMAT,
    STORY_LIMIT,
    HoneypotMixin,
    MultiCheckboxField,
    StoryLength,
    normalised_email,
    optional_email,
    story_field,
)
from awards.nominations.forms.journey import (
    NOMINATOR_EMAIL_OPTIONAL,
    NOMINATOR_EMAIL_REQUIRED,
    AboutYouStepForm,
    CategoryStepForm,
    DifferenceStepForm,
    HowLongStepForm,
    InviteSupporterForm,
    NomineeStepForm,
    PhotoStepForm,
    StartForm,
    StepForm,
    SubmitForm,
    WhatStepForm,
    WithdrawForm,
)
from awards.nominations.forms.moderation import (
    AssistedStartForm,
    ModerationForm,
    RecognitionGivenForm,
)
from awards.nominations.forms.setup import (
    AreaForm,
    CategoryForm,
    CopyCycleForm,
    CycleForm,
)
from awards.nominations.forms.supporters import (
    JoinStatementForm,
    StatementForm,
)

__all__ = [
    "AboutYouStepForm",
    "AreaForm",
    "AssistedStartForm",
    "CategoryForm",
    "CategoryStepForm",
    "ConsentForm",
    "CopyCycleForm",
    "CycleForm",
    "DifferenceStepForm",
    "EMAIL_FORMAT",
    "HoneypotMixin",
    "HowLongStepForm",
    "InviteSupporterForm",
    "JoinStatementForm",
    "ModerationForm",
    "MultiCheckboxField",
    "NOMINATOR_EMAIL_OPTIONAL",
    "NOMINATOR_EMAIL_REQUIRED",
    "NomineeStepForm",
    "PhotoStepForm",
    "RecognitionGivenForm",
    "RecordConsentForm",
    "STORY_LIMIT",
    "StartForm",
    "StatementForm",
    "StepForm",
    "StoryLength",
    "SubmitForm",
    "WhatStepForm",
    "WithdrawForm",
    "normalised_email",
    "optional_email",
    "story_field",
]
