"""Scheduled work: jobs compute what is due from the database and "now"."""
