"""Development-only pages; registered only when DEV_TOOLS is on (never in production)."""
