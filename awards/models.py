"""Every model, imported in one place so Alembic and the tests see the whole schema."""
from awards.accounts.models import (  # noqa: F401
    Passkey,
    RecoveryCode,
    TwoFactor,
    User,
    UserRole,
)
from awards.core.audit import AuditEvent  # noqa: F401
from awards.core.mail.models import OutboxMessage  # noqa: F401
from awards.core.tokens import Token  # noqa: F401
from awards.newsletter.models import (  # noqa: F401
    Delivery,
    IssueStory,
    NewsletterIssue,
    Subscriber,
)
from awards.nominations.models import (  # noqa: F401
    Area,
    AwardCycle,
    Category,
    Consent,
    Nomination,
    Photo,
    RecognitionGiven,
    Supporter,
    SupportReview,
)
from awards.panels.models import (  # noqa: F401
    Assignment,
    Comment,
    Criterion,
    Decision,
    Declaration,
    Panel,
    PanelMember,
    Review,
    Score,
)
from awards.public.models import PublicAward, ThankYou  # noqa: F401
