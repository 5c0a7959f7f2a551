"""Changes made from the admin pages, one module per topic."""
