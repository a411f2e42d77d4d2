"""Indexes on other apps' tables that only the aggregation job reads by: recomputing a day must
not scan a year of messages. Created here (plain SQL, both databases) so the owning apps' own
migrations stay untouched; their models do not declare them, so Django never drops them."""

from django.db import migrations

INDEXES = [
    # Every messages figure of a day: a workspace's messages by time.
    ("insights_src_message_day", "messaging_message", "workspace_id, sent_at"),
    # Journeys: starts and endings by day.
    ("insights_src_session_start", "journeys_session", "workspace_id, started_at"),
    ("insights_src_session_end", "journeys_session", "workspace_id, ended_at"),
    # Journey results by day.
    ("insights_src_result_day", "journeys_journeyresult", "workspace_id, created_at"),
    # Inbox: chats closed on a day.
    ("insights_src_chat_closed", "messaging_chat", "workspace_id, closed_at"),
    # Audience: opt-ins by day.
    ("insights_src_contact_optin", "contacts_contact", "workspace_id, opted_in_at"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0001_initial"),
        ("messaging", "0005_merge_inbox_and_event_lane"),
        ("journeys", "0001_initial"),
        ("contacts", "0002_profile_schema_segments_transfers"),
    ]

    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})",
                          f"DROP INDEX IF EXISTS {name}")
        for name, table, columns in INDEXES
    ]
