"""Indexes the read views need, beside the tables of bot/db/models.py (migration 0010_reads)."""

from __future__ import annotations

from sqlalchemy import Index

from bot.db.models import Plan

# App Home's public plans of a quarter, newest first: read from this index,
# not from every plan of every member of the workspace.
PUBLIC_PLANS = Index(
    "ix_plans_public", Plan.visibility, Plan.fiscal_year, Plan.quarter, Plan.updated_at
)
