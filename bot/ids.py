"""Every callback_id, action_id and block_id the app sends to Slack, in one place.

A listener and the block that triggers it must agree on an ID; enums make a typo a
NameError instead of a button that silently does nothing.
"""

from enum import StrEnum

COMMAND = "/strategic"


class Event(StrEnum):
    """Events API subscriptions; app.yaml declares exactly these."""

    APP_HOME_OPENED = "app_home_opened"


class Callback(StrEnum):
    ACCOUNT_ADD = "account_add"
    ACCOUNT_EDIT = "account_edit"
    PLAN = "get_well_plan"
    RENEW = "renewal_new_end"
    UPDATE_ENTRY = "update_entry"
    NOMINATE = "partner_nominate"
    NOMINATION_REASON = "partner_nomination_reason"
    OKR_ADD = "okr_add"
    OKR_CHECKIN = "okr_checkin"
    PERSON_ADD = "customer_person_add"
    INITIATIVE_ADD = "initiative_add"
    NEED = "need_raise"
    ROLLOUT = "need_rollout"


class Action(StrEnum):
    ACK_HEALTH = "ack_health_alert"
    JOURNEY_DONE = "journey_mark_done"
    RENEWED = "renewal_renewed"
    CHURNED = "renewal_churned"
    IARR_UNDO = "iarr_undo"
    UPDATE_WRITE = "update_reminder_write"
    UPDATE_SNOOZE = "update_reminder_snooze"
    WEEKLY_POST = "weekly_update_post"
    WEEKLY_EDIT = "weekly_update_edit"
    NOMINATION_APPROVE = "partner_nomination_approve"
    NOMINATION_REJECT = "partner_nomination_reject"
    NOMINATION_WITHDRAW = "partner_nomination_withdraw"
    OKR_CHECKIN = "okr_checkin_open"
    PEOPLE_ADD = "customer_people_add"
    PERSON_REMOVE = "customer_person_remove"
    INITIATIVE_STATUS = "initiative_status"
    NEED_STATUS = "need_status"
    ROLLOUT_OPEN = "need_rollout_open"
    STEP_DONE = "need_step_done"


RENEWAL_DECISION_BLOCK = "renewal_decision"
WEEKLY_DRAFT_BLOCK = "weekly_update_draft"
NOMINATION_DECISION_BLOCK = "partner_nomination_decision"


class AccountField(StrEnum):
    """Block IDs of the account modal: the same names as the account's fields."""

    NAME = "name"
    TIER = "tier"
    INDUSTRY = "industry"
    LEAD_ENGINEER = "lead_engineer"
    TA_CE = "ta_ce"
    AE = "ae"
    EXEC_SPONSOR = "exec_sponsor"
    CHANNEL = "channel"
    CONTRACT_START = "contract_start"
    CONTRACT_END = "contract_end"
    PRODUCTION_START = "production_start"
    LICENSED_SEATS = "licensed_seats"
    AVAILABLE_DEVELOPERS = "available_developers"
    ARR = "arr"
    PARTNER_STATUS = "partner_status"
    SUCCESS_PLAN_URL = "success_plan_url"


class PlanField(StrEnum):
    """Block IDs of the get-well plan modal: the plan's field names."""

    OWNER = "owner"
    TEXT = "text"
    DUE = "due"


class UpdateField(StrEnum):
    """Block IDs of the weekly update entry modal: the entry's field names."""

    ACCOUNT = "account"
    PROGRESS = "progress"
    BLOCKERS = "blockers"
    STILL_OPEN = "still_open"
    UPCOMING = "upcoming"


class RenewField(StrEnum):
    NEW_END = "new_end"


class NominationField(StrEnum):
    """Block IDs of the nomination modal: the draft's field names (seed 000's framework)."""

    COMPANY = "company"
    STRATEGIC_SEGMENT = "strategic_segment"
    CO_MARKET = "co_market"
    NEW_INDUSTRY = "new_industry"
    RELATED_MARKET = "related_market"
    VISION = "vision"
    RATIONALE = "rationale"


class OkrField(StrEnum):
    """Block IDs of `/strategic okr add`: the names its validation reads."""

    TEAM = "team"
    QUARTER = "quarter"
    OBJECTIVE = "objective"
    TITLE = "title"
    OWNER = "owner"
    START = "start"
    TARGET = "target"
    UNIT = "unit"


class CheckinField(StrEnum):
    """Block IDs of a key result's check-in modal."""

    VALUE = "value"
    STATUS = "status"
    NOTE = "note"


class PersonField(StrEnum):
    """Block IDs of the Add person modal: the person's field names."""

    KIND = "kind"
    NAME = "name"
    ROLE = "role"
    SLACK_USER = "slack_user"
    EMAIL = "email"


class InitiativeField(StrEnum):
    """Block IDs of `/strategic initiative add`: the initiative's field names."""

    TITLE = "title"
    OWNER = "owner"
    DUE = "due"


class ReasonField(StrEnum):
    REASON = "reason"


class NeedField(StrEnum):
    """Block IDs of the need modal: the need's field names."""

    KIND = "kind"
    SUMMARY = "summary"
    LINK = "link"
    PRIORITY = "priority"


class RolloutField(StrEnum):
    """Block IDs of the rollout modal: the steps' names (bot.domain.needs.Step)."""

    PRE_MORTEM = "pre-mortem"
    PILOT = "pilot"
    ROLLOUT = "rollout"
    POST_MORTEM = "post-mortem"


FIELD_ACTION = "value"
"""The action_id of the single input element inside each modal field block."""
