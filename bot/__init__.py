"""Strategic bot: the strategic accounts team's working week, in Slack."""
