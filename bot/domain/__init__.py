"""The rules of myplan in plain Python: no Slack, no SQL."""
