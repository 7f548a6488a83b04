"""Pure rules over plain data: no Slack, no SQL, no clock. "Today" arrives as an argument."""
