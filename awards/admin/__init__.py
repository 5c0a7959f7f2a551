"""The admin shell: dashboard, users and roles, audit log, demo data."""
