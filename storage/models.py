"""Tables. One declarative base with a naming convention so Alembic names constraints."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.types import UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class AccountRow(Base):
    """A strategic account. `name_key` (case-folded name) carries the uniqueness."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    name_key: Mapped[str] = mapped_column(String(80), unique=True)
    tier: Mapped[int] = mapped_column(Integer)
    industry: Mapped[str | None] = mapped_column(String(80))
    lead_engineer: Mapped[str | None] = mapped_column(String(20))
    ta_ce: Mapped[str | None] = mapped_column(String(20))
    ae: Mapped[str | None] = mapped_column(String(20))
    exec_sponsor: Mapped[str | None] = mapped_column(String(20))
    channel: Mapped[str | None] = mapped_column(String(20))
    contract_start: Mapped[date | None] = mapped_column(Date)
    contract_end: Mapped[date | None] = mapped_column(Date)
    production_start: Mapped[date | None] = mapped_column(Date)
    licensed_seats: Mapped[int | None] = mapped_column(Integer)
    available_developers: Mapped[int | None] = mapped_column(Integer)
    arr: Mapped[int | None] = mapped_column(BigInteger)
    partner_status: Mapped[str] = mapped_column(String(20))
    success_plan_url: Mapped[str | None] = mapped_column(String(500))
    archived_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class AuditRow(Base):
    """Who changed what and when: one row per change, with the fields before and after."""

    __tablename__ = "audit"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)


class JobRunRow(Base):
    """One occurrence of a scheduled job. The unique (job, scheduled_for) is the claim:
    whichever replica inserts it first runs the occurrence; everyone else sees a conflict."""

    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("job", "scheduled_for", name="uq_job_runs_occurrence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job: Mapped[str] = mapped_column(String(60))
    scheduled_for: Mapped[datetime] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(20))
    replica: Mapped[str] = mapped_column(String(120))
    messages: Mapped[int] = mapped_column(Integer, default=0)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())
    note: Mapped[str | None] = mapped_column(Text)


class OutboxRow(Base):
    """A message to send (a post, an edit or a thread reply): written before any send,
    keyed so it is sent once."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_channel", "status", "channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    job: Mapped[str] = mapped_column(String(60))
    occurrence: Mapped[datetime] = mapped_column(UtcDateTime())
    channel: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    blocks: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime())
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    leased_by: Mapped[str | None] = mapped_column(String(120))
    last_error: Mapped[str | None] = mapped_column(Text)
    ts: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    kind: Mapped[str] = mapped_column(String(10), server_default="post")
    """post, update or reply (bot.domain.outbox)."""
    ref: Mapped[str | None] = mapped_column(String(200))
    """A post's own name; for an update or reply, the name of the post it is about."""


class PostedMessageRow(Base):
    """Where a named post landed, so it can be edited or replied to later by its name;
    (channel, ts) finds the name again from a click on the message."""

    __tablename__ = "posted_messages"
    __table_args__ = (UniqueConstraint("channel", "ts", name="uq_posted_messages_message"),)

    ref: Mapped[str] = mapped_column(String(200), primary_key=True)
    channel: Mapped[str] = mapped_column(String(40))
    ts: Mapped[str] = mapped_column(String(40))
    posted_at: Mapped[datetime] = mapped_column(UtcDateTime())


class MetricSnapshotRow(Base):
    """One account's usage on one day; a re-sent day replaces the old row (seeds 000, 003)."""

    __tablename__ = "metric_snapshots"
    __table_args__ = (UniqueConstraint("account_id", "day", name="uq_metric_snapshots_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    dau: Mapped[int] = mapped_column(Integer)
    mau: Mapped[int] = mapped_column(Integer)
    licensed_seats: Mapped[int] = mapped_column(Integer)
    assistant_dau: Mapped[int | None] = mapped_column(Integer)
    completions_shown: Mapped[int | None] = mapped_column(BigInteger)
    completions_accepted: Mapped[int | None] = mapped_column(BigInteger)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class IarrEventRow(Base):
    """Incremental ARR closed from a strategic customer: the north star of seed 001."""

    __tablename__ = "iarr_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class GetWellPlanRow(Base):
    """The plan for a red account (seed 004: "if the health of an account is deemed red,
    there is a plan defined"); one current plan per account, changes audited."""

    __tablename__ = "get_well_plans"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    owner: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    due: Mapped[date] = mapped_column(Date)
    updated_by: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class HealthDayRow(Base):
    """Each account's status on each day the health job ran: trend and "since when"."""

    __tablename__ = "health_history"
    __table_args__ = (
        UniqueConstraint("account_id", "day", name="uq_health_history_day"),
        # The portfolio's trend reads every account's status of one day.
        Index("ix_health_history_day", "day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))


class HealthAlertRow(Base):
    """The last status an alert was posted for, and who acknowledged it: alerts fire on
    entering a state, and an acknowledgement silences the account until it changes again."""

    __tablename__ = "health_alerts"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(10))
    since: Mapped[date] = mapped_column(Date)
    alerted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    acknowledged_by: Mapped[str | None] = mapped_column(String(20))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class JourneyDoneRow(Base):
    """A journey activity marked done, for one contract (its start and end) of an account."""

    __tablename__ = "journey_done"
    __table_args__ = (
        UniqueConstraint("account_id", "contract_end", "activity", name="uq_journey_done_activity"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    contract_end: Mapped[date] = mapped_column(Date)
    activity: Mapped[str] = mapped_column(String(80))
    done_by: Mapped[str] = mapped_column(String(20))
    done_at: Mapped[datetime] = mapped_column(UtcDateTime())


class RenewalReminderRow(Base):
    """A renewal window reminded (or covered by a later one) for one contract end: each once;
    a changed contract end starts a fresh set."""

    __tablename__ = "renewal_reminders"
    __table_args__ = (
        UniqueConstraint(
            "account_id", "contract_end", "window", name="uq_renewal_reminders_window"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    contract_end: Mapped[date] = mapped_column(Date)
    window: Mapped[int] = mapped_column(Integer)
    """Days before the end; 0 is the end-date message with the Renewed / Churned buttons."""
    status: Mapped[str] = mapped_column(String(10))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SeenRequestRow(Base):
    """A request from Slack that changed something, by the hash of its payload: a replay
    (the same signed request again within the signature's five minutes, or a retry) finds
    it here and changes nothing twice, across replicas. Rows older than the window go."""

    __tablename__ = "seen_requests"
    __table_args__ = (Index("ix_seen_requests_seen_at", "seen_at"),)

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime())


class UpdateEntryRow(Base):
    """One person's entry of the weekly update about one account, or the team as a whole,
    in one week (seeds 000, 001); written again, it is edited in place.

    `scope` carries the uniqueness: the account's id, or 0 for a team-wide entry. The
    nullable `account_id` could not: SQL counts every NULL as distinct, so a unique
    (week, author, account_id) would let one person keep many team-wide entries a week.
    """

    __tablename__ = "update_entries"
    __table_args__ = (
        UniqueConstraint("week", "author", "scope", name="uq_update_entries_entry"),
        CheckConstraint("scope = coalesce(account_id, 0)", name="scope"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    week: Mapped[date] = mapped_column(Date)
    """The week's Monday, in team time."""
    author: Mapped[str] = mapped_column(String(20))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    scope: Mapped[int] = mapped_column(Integer)
    progress: Mapped[str | None] = mapped_column(Text)
    blockers: Mapped[str | None] = mapped_column(Text)
    upcoming: Mapped[str | None] = mapped_column(Text)
    still_open: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class UpdateReminderRow(Base):
    """A person reminded to write the week's update (issue 11): once a week, and once more
    when they snoozed it. Written with the claim of the job run that reminded them."""

    __tablename__ = "update_reminders"

    week: Mapped[date] = mapped_column(Date, primary_key=True)
    """The week's Monday, in team time."""
    person: Mapped[str] = mapped_column(String(20), primary_key=True)
    reminded_at: Mapped[datetime] = mapped_column(UtcDateTime())
    snoozed_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    """Set by Snooze, cleared when that reminder went out."""


class UpdateAwayRow(Base):
    """`/strategic away until DATE`: no update reminders for the person through that day."""

    __tablename__ = "update_away"

    person: Mapped[str] = mapped_column(String(20), primary_key=True)
    until: Mapped[date] = mapped_column(Date)
    """The last day away, in the person's own time zone."""
    set_at: Mapped[datetime] = mapped_column(UtcDateTime())


class NominationRow(Base):
    """A company nominated as a strategic partner (seed 000's decision framework), and
    its decision. `state` leaves pending once, by a conditional UPDATE: the first decisive
    vote wins, however many arrive at once."""

    __tablename__ = "nominations"
    __table_args__ = (Index("ix_nominations_state", "state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    nominator: Mapped[str] = mapped_column(String(20))
    strategic_segment: Mapped[bool] = mapped_column(Boolean)
    co_market: Mapped[str] = mapped_column(String(10))
    new_industry: Mapped[bool] = mapped_column(Boolean)
    related_market: Mapped[str | None] = mapped_column(String(80))
    vision: Mapped[str] = mapped_column(String(10))
    rationale: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(20))
    """Who decided, or withdrew it."""
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    reason: Mapped[str | None] = mapped_column(Text)
    overridden: Mapped[bool] = mapped_column(Boolean, default=False)
    """Approved while the success gate was not met."""


class NominationVoteRow(Base):
    """An approver's current vote on a nomination; changed in place until the decision."""

    __tablename__ = "nomination_votes"

    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nominations.id", ondelete="CASCADE"), primary_key=True
    )
    approver: Mapped[str] = mapped_column(String(20), primary_key=True)
    vote: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime())


class OkrObjectiveRow(Base):
    """An objective of one team in one fiscal quarter (issue 14); found again on a second
    import by its quarter, team and title."""

    __tablename__ = "okr_objectives"
    __table_args__ = (
        UniqueConstraint("quarter", "team_key", "title", name="uq_okr_objectives_objective"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    quarter: Mapped[str] = mapped_column(String(10))
    """Its label: FY27-Q4."""
    team: Mapped[str] = mapped_column(String(80))
    team_key: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class OkrKeyResultRow(Base):
    """A key result: its plan (from the file or the add form) and where it stands now,
    which each check-in moves; a measured one (`measure`) takes the bot's value instead."""

    __tablename__ = "okr_key_results"
    __table_args__ = (
        UniqueConstraint("objective_id", "title", name="uq_okr_key_results_key_result"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    objective_id: Mapped[int] = mapped_column(
        ForeignKey("okr_objectives.id", ondelete="CASCADE")
    )
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(20))
    start: Mapped[float] = mapped_column(Float)
    target: Mapped[float] = mapped_column(Float)
    current: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))
    measure: Mapped[str | None] = mapped_column(String(30))
    position: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class OkrCheckinRow(Base):
    """One check-in on a key result, kept: its history and the quarter's "since the first
    check-in" read these."""

    __tablename__ = "okr_checkins"
    __table_args__ = (Index("ix_okr_checkins_key_result", "key_result_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_result_id: Mapped[int] = mapped_column(
        ForeignKey("okr_key_results.id", ondelete="CASCADE")
    )
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    author: Mapped[str] = mapped_column(String(20))
    value: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)


class NeedRow(Base):
    """A customer's need, obstacle, feature request or bug (issue 15), with its tracking
    issue's link and where it stands; its account's owners hear of each status change."""

    __tablename__ = "needs"
    __table_args__ = (Index("ix_needs_account", "account_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(String(300))
    link: Mapped[str] = mapped_column(String(500))
    priority: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20))
    raised_by: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_by: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class NeedStepRow(Base):
    """One dated step of a need's rollout (pre-mortem, pilot, rollout, post-mortem)."""

    __tablename__ = "need_steps"

    need_id: Mapped[int] = mapped_column(
        ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True
    )
    step: Mapped[str] = mapped_column(String(20), primary_key=True)
    due: Mapped[date] = mapped_column(Date)
    done_by: Mapped[str | None] = mapped_column(String(20))
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class CustomerPersonRow(Base):
    """A champion or an advocate at a customer (seed 002), reachable in Slack or by email."""

    __tablename__ = "customer_people"
    __table_args__ = (Index("ix_customer_people_account", "account_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str | None] = mapped_column(String(80))
    slack_user: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    added_by: Mapped[str] = mapped_column(String(20))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime())


class InitiativeRow(Base):
    """A strategy initiative (seed 001's dated list): its owner moves its status."""

    __tablename__ = "initiatives"
    __table_args__ = (Index("ix_initiatives_due", "due"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(20))
    due: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    created_by: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class InitiativeReminderRow(Base):
    """A reminder sent to an initiative's owner for one due date: each once; a moved due
    date starts a fresh pair."""

    __tablename__ = "initiative_reminders"
    __table_args__ = (
        UniqueConstraint(
            "initiative_id", "due", "kind", name="uq_initiative_reminders_reminder"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    due: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime())
