"""Judging panels: conflicts, rubric, reviews, results and decisions."""
