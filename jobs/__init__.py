"""Scheduled jobs: plain `async def run(deps, now)` functions; the scheduler only decides when.

The delivery engine and the first jobs come with the scheduled-jobs issue.
"""
