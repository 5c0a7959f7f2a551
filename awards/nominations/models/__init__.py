"""Award cycles, categories, areas, nominations, consent, supporters and photos; every model
can be imported from here."""
from awards.nominations.models.consent import ANONYMOUS_NAME, Consent, shown_name
from awards.nominations.models.nomination import Nomination, Photo
from awards.nominations.models.recognition import RecognitionGiven, SupportReview, text_digest
from awards.nominations.models.scheme import Area, AwardCycle, Category, today
from awards.nominations.models.supporter import Supporter

__all__ = ["ANONYMOUS_NAME", "Area", "AwardCycle", "Category", "Consent", "Nomination", "Photo",
           "RecognitionGiven", "Supporter", "SupportReview", "shown_name", "text_digest",
           "today"]
