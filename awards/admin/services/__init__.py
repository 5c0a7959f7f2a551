"""Admin pages' services, one module per topic (`<topic>.py`)."""
