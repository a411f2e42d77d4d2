import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "__first__"),
    ]

    operations = [
        migrations.CreateModel(
            name="DailyCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("metric", models.CharField(max_length=32)),
                ("day", models.DateField()),
                ("dimension", models.CharField(blank=True, default="", max_length=200)),
                ("bucket", models.IntegerField(default=0)),
                ("value", models.BigIntegerField(default=0)),
                ("workspace", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                                to="accounts.workspace")),
            ],
            options={"constraints": [models.UniqueConstraint(
                fields=("workspace", "metric", "day", "dimension", "bucket"), name="dailycount_unique")]},
        ),
        migrations.CreateModel(
            name="Watermark",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("source", models.CharField(max_length=40, unique=True)),
                ("last_id", models.BigIntegerField(default=0)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
        ),
        migrations.CreateModel(
            name="PriceRate",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("category", models.CharField(choices=[("marketing", "Marketing"), ("utility", "Utility"),
                                                       ("authentication", "Authentication"), ("service", "Service")],
                                              max_length=20)),
                ("calling_code", models.CharField(blank=True, default="", max_length=4)),
                ("rate", models.DecimalField(decimal_places=4, max_digits=10)),
                ("currency", models.CharField(default="USD", max_length=3)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("workspace", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                                to="accounts.workspace")),
            ],
            options={"constraints": [models.UniqueConstraint(fields=("workspace", "category", "calling_code"),
                                                             name="pricerate_unique")]},
        ),
    ]
