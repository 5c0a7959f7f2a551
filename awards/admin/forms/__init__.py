"""Admin pages' forms, one module per topic (`<topic>.py`)."""
