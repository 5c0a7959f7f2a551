"""The admin pages, one blueprint per topic."""
