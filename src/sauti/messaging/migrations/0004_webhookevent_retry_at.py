"""Workers claim webhook events from their table: a backoff time instead of the task bookkeeping."""

from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    dependencies = [("messaging", "0003_webhookevent_senders")]

    operations = [
        migrations.RemoveIndex(model_name="webhookevent", name="webhookevent_pending"),
        migrations.RenameField(model_name="webhookevent", old_name="enqueued_at", new_name="retry_at"),
        migrations.AlterField(model_name="webhookevent", name="retry_at",
                              field=models.DateTimeField(blank=True, null=True)),
        # Earlier versions set this to the enqueue time; a past time means "due now" either way,
        # but clear it so nothing waits on a stale value.
        migrations.RunSQL("UPDATE messaging_webhookevent SET retry_at = NULL", migrations.RunSQL.noop),
        migrations.AddIndex(model_name="webhookevent",
                            index=models.Index(fields=["id"], condition=Q(processed_at__isnull=True),
                                               name="webhookevent_unprocessed")),
    ]
