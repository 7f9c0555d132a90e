"""Persistence: the models, the session factory and migrations."""

from bot.db import indexes as _indexes  # noqa: F401 - the read views' indexes belong too
from bot.db import oauth as _oauth  # noqa: F401 - the OAuth tables belong to the schema
