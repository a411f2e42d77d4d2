"""Joins two migrations made side by side: the inbox's chat and message fields, and the event lane's
retry time for webhook events."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("messaging", "0004_inbox_chat_and_message_fields"), ("messaging", "0004_webhookevent_retry_at")]
    operations = []
