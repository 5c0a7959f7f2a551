"""The newsletter: subscribers, issues built from consented stories, and their delivery."""
