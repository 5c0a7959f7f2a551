"""Reads for the admin pages, one module per topic."""
