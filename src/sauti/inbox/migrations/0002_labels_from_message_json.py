"""Messages labelled before the label catalogue existed (journeys' add_label, the API) get catalogue
labels and MessageLabel rows for the names in their JSON list."""

from django.db import migrations


def forwards(apps, schema_editor):
    Message = apps.get_model("messaging", "Message")
    Label = apps.get_model("inbox", "Label")
    MessageLabel = apps.get_model("inbox", "MessageLabel")
    catalogue = {}
    rows = Message.objects.exclude(labels=[]).exclude(labels__isnull=True).values_list(
        "id", "workspace_id", "chat_id", "labels")
    for message_id, workspace_id, chat_id, names in rows.iterator(chunk_size=2000):
        for name in dict.fromkeys(str(n).strip()[:60] for n in (names or []) if str(n).strip()):
            key = (workspace_id, name.lower())
            if key not in catalogue:
                label = Label.objects.filter(workspace_id=workspace_id, name__iexact=name).first()
                catalogue[key] = label or Label.objects.create(workspace_id=workspace_id, name=name)
            MessageLabel.objects.get_or_create(message_id=message_id, label=catalogue[key], chat_id=chat_id)


class Migration(migrations.Migration):

    dependencies = [
        ("inbox", "0001_labels_notes_mentions_collections"),
        ("messaging", "0004_inbox_chat_and_message_fields"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
