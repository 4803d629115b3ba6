"""The platform under every aggregate: database, settings, clock, audit, sign-in, limits, backup."""
