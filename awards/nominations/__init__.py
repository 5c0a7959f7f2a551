"""Award cycles, categories, areas, nominations, supporters, nominee consent, moderation."""
