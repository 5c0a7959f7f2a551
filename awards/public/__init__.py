"""Public recognition pages: winners' stories, hall of fame, search, feeds, certificates.

Every public surface reads `PublicAward` rows only. A row holds what the nominee allowed and
nothing more, so a page cannot show what it was never given (see services/listing.py).
"""
