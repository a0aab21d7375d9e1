"""The newsroom Slack bot: `/contradictions`, a message shortcut and @mentions.

`detector.slackbot.app.create_app` builds the slack-bolt app; the CLI's
`detector slack` runs it in Socket Mode or HTTP mode.
"""
