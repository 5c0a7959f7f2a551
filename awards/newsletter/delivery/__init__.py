"""Sending the newsletter: claims with leases, one message per recipient, the worker loop,
the tasks that run it (docs/newsletter.md)."""
