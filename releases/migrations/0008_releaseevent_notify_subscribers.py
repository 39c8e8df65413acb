from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0007_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="releaseevent",
            name="notify_subscribers",
            field=models.BooleanField(default=False, verbose_name="subscribers notified"),
        ),
    ]
