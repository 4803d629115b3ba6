"""Judging: score sheets, evidence, assignments, conflicts of interest, consensus, completeness."""
