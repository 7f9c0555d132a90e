"""Indexes the read views and the clock need, beside the tables of bot/db/models.py
(migrations 0010_reads, 0012_digests)."""

from __future__ import annotations

from sqlalchemy import Index

from bot.db.models import Plan

# App Home's public plans of a quarter, newest first: read from this index,
# not from every plan of every member of the workspace.
PUBLIC_PLANS = Index(
    "ix_plans_public", Plan.visibility, Plan.fiscal_year, Plan.quarter, Plan.updated_at
)
# The clock's morning digests: the proposed plans (few), not every plan (migration 0012).
PLANS_BY_STATE = Index("ix_plans_state", Plan.state)
