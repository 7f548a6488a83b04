"""`jobs run` when a post fails for good, and the operator's way back: `outbox list/retry`."""

from __future__ import annotations

import json
import re
from pathlib import Path

from storage.db import Database
from tests.processes import app_env, run
from tests.slack_api import FakeSlackApi

JOBS_RUN = ("jobs", "run", "hello", "--at", "2026-11-23T09:00:00Z", "--wait", "15")


async def test_a_failed_post_exits_non_zero_then_retry_delivers_it(
    db: Database, slack_api: FakeSlackApi, tmp_path: Path
) -> None:
    env = app_env(
        f"{slack_api.url}/api",
        db.url,
        SCHEDULER__EXTRA_JOB_MODULES=json.dumps(["tests.sample_jobs"]),
        SCHEDULER__ADMIN_CHANNEL="C0ADMIN",
        SCHEDULER__CHANNEL_PACE_SECONDS="0",
    )
    slack_api.fail_next("chat.postMessage", "not_in_channel")

    code, output = await run(*JOBS_RUN, env=env, cwd=tmp_path, log=tmp_path / "run.log")

    assert code == 1, output
    assert "1 of 1 message(s) not delivered." in output and "not_in_channel" in output
    assert slack_api.messages_in("C0SAMPLE") == []
    code, listing = await run(
        "outbox", "list", "--status", "failed", env=env, cwd=tmp_path, log=tmp_path / "list.log"
    )
    assert code == 0 and "not_in_channel" in listing
    failed_id = re.search(r"│ (\d+)\s+│ failed", listing)
    assert failed_id, listing

    code, output = await run(
        "outbox", "retry", failed_id[1], env=env, cwd=tmp_path, log=tmp_path / "retry.log"
    )
    assert code == 0 and "is queued again" in output
    code, output = await run(*JOBS_RUN, env=env, cwd=tmp_path, log=tmp_path / "again.log")
    assert code == 0, output
    assert [m["text"] for m in slack_api.messages_in("C0SAMPLE")] == [
        "hello for 2026-11-23T09:00:00+00:00"
    ]
