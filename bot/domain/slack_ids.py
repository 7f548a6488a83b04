"""What Slack's IDs look like, for the fields that hold a person or a channel."""

SLACK_USER_PATTERN = r"^[UW][A-Z0-9]{2,}$"
SLACK_CHANNEL_PATTERN = r"^[CG][A-Z0-9]{2,}$"
