"""Intake: the guided submission, its files and checks, access codes, screening, bulk import."""
