"""Start-up: the one place that wires the layers together — the Bolt app factory, the HTTP
server, the command line, the demo, the importers and the metrics endpoint.

Nothing below imports from here (`lint-imports` checks it), so the core can be read and
tested without the process around it.
"""
