"""Nomination pages, one blueprint per part: journey, supporters, consent, setup, moderation."""
