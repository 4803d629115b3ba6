"""The contest itself: editions and their phases, criteria configuration, the 2564 reference data, demo."""
