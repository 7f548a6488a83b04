"""A job of the tests' own, loaded through `scheduler.extra_job_modules` as a team's would be.

It posts one message per occurrence to SAMPLE_JOB_CHANNEL (default C0SAMPLE), naming the
occurrence, so a test can count posts per occurrence.
"""

from __future__ import annotations

import os
from datetime import datetime

from bot.blocks.common import info_message
from bot.deps import Deps
from jobs.job import Job, Outbound, Plan


async def hello(deps: Deps, occurrence: datetime) -> Plan:
    channel = os.environ.get("SAMPLE_JOB_CHANNEL", "C0SAMPLE")
    return Plan([Outbound(channel, info_message(f"hello for {occurrence.isoformat()}"))])


JOBS = [Job("hello", "0 9 * * *", "Says hello once per occurrence.", hello)]
