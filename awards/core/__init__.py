"""What every feature uses: database base classes, security, mail, audit, jobs."""
