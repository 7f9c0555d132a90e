"""What the bot posts to Slack on its own: the scheduler's messages and the
check-in threads, sent once each, at Slack's pace.

Both the listeners and the scheduler send through here; neither imports the
other. ``keys`` names every delivery, ``store`` keeps them (each call its own
transaction, so a claim is committed before the Slack call), ``delivery``
sends one exactly once, ``pacing`` keeps to Slack's limits and ``threads``
builds, renders and updates the weekly threads.
"""
