"""Pitching day: the schedule and the live session."""
