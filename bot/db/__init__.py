"""Persistence: the models, the session factory and migrations."""
