"""Admin pages, one Blueprint per topic module (`<topic>.py`)."""
