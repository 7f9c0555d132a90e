"""One use case per interaction: each command, click, submission, event and
scheduled job calls one function here. It runs in one transaction (see
``bot.services.use_case``) and returns plain data: what to show the person
and what to send. Listeners and jobs render and send it; nothing here knows
Slack's payloads, and nothing here talks to Slack.
"""
