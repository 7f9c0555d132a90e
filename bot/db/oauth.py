"""The OAuth install and state tables, as slack_sdk's SQLAlchemy stores define
them, declared on our metadata so that Alembic creates and migrates them."""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot.db.base import Base

INSTALLATIONS = SQLAlchemyInstallationStore.default_installations_table_name
BOTS = SQLAlchemyInstallationStore.default_bots_table_name
STATES = SQLAlchemyOAuthStateStore.default_table_name

installations_table = SQLAlchemyInstallationStore.build_installations_table(
    Base.metadata, INSTALLATIONS
)
bots_table = SQLAlchemyInstallationStore.build_bots_table(Base.metadata, BOTS)
oauth_states_table = SQLAlchemyOAuthStateStore.build_oauth_states_table(Base.metadata, STATES)
