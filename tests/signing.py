"""Signing exactly as Slack does, so the app's real verification runs in every test."""

from __future__ import annotations

import time

from slack_sdk.signature import SignatureVerifier


def signed_headers(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    assert signature is not None
    return {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature,
    }
