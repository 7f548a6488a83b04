"""Channel settings written as names (`#cp-strategic`), turned into IDs once at start-up.

Slack posts to a name, but reads history, joins, and answers with IDs only: a post's
channel line, its "already sent?" check and its edits all need the ID. So `serve`,
`socket` and `jobs run` look the names up once (`conversations.list`, public and
private channels the bot can see) and run on IDs; a name that is not there stops
start-up with one sentence rather than failing every post later.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pydantic import BaseModel
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import ConfigError, Settings
from bot.deps import Deps
from bot.startup.app import web_client


@dataclass(frozen=True)
class ChannelSetting:
    """Where a channel setting lives: the section's attribute on Settings, and its key."""

    section: str
    key: str

    def read(self, settings: Settings) -> str | None:
        value: str | None = getattr(getattr(settings, self.section), self.key)
        return value

    def written(self) -> str:
        return f"[{self.section}] {self.key}"


CHANNEL_SETTINGS = (
    ChannelSetting("team", "strategic_channel"),
    ChannelSetting("team", "alerts_channel"),
    ChannelSetting("scheduler", "admin_channel"),
    ChannelSetting("updates", "channel"),
    ChannelSetting("partners", "channel"),
)
PAGE = 1000


def named(settings: Settings) -> dict[ChannelSetting, str]:
    """The channel settings written as `#name`, with the name (without its `#`)."""
    found = {}
    for setting in CHANNEL_SETTINGS:
        value = setting.read(settings)
        if value and value.startswith("#"):
            found[setting] = value[1:]
    return found


async def channel_ids(client: AsyncWebClient) -> dict[str, str]:
    """Every channel the bot can see, by name: public ones, and private ones it is in."""
    ids: dict[str, str] = {}
    cursor = None
    while True:
        page = await client.conversations_list(
            types="public_channel,private_channel",
            exclude_archived=True,
            limit=PAGE,
            cursor=cursor,
        )
        ids.update({c["name"]: c["id"] for c in page.get("channels") or []})
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return ids


async def resolve_channels(settings: Settings, client: AsyncWebClient) -> Settings:
    """`settings` with every `#name` channel replaced by its ID; ConfigError naming the
    setting when a channel is not there. No call at all when every channel is an ID."""
    wanted = named(settings)
    if not wanted:
        return settings
    ids = await channel_ids(client)
    missing = [(s, name) for s, name in wanted.items() if name not in ids]
    if missing:
        setting, name = missing[0]
        raise ConfigError(
            f"The channel #{name} ({setting.written()}) is not in this workspace, or is "
            "private without the bot in it: create it, invite the bot "
            f"(/invite @strategic-bot), or write the channel's ID (C0123ABCD) instead."
        )
    sections: dict[str, BaseModel] = {}
    for setting, name in wanted.items():
        section = sections.get(setting.section) or getattr(settings, setting.section)
        sections[setting.section] = section.model_copy(update={setting.key: ids[name]})
    return settings.model_copy(update=sections)


async def with_channel_ids(deps: Deps) -> Deps:
    """`deps` running on channel IDs (see `resolve_channels`)."""
    if not named(deps.settings):
        return deps
    return replace(deps, settings=await resolve_channels(deps.settings, web_client(deps)))
