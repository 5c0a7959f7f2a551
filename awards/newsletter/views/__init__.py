"""The newsletter's pages."""
