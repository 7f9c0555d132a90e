"""Persistence: the models, the session factory and migrations."""

from bot.db import oauth as _oauth  # noqa: F401 - the OAuth tables belong to the schema
