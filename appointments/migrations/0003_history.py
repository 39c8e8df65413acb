# The revision model now shares `newsroom.revisions.RevisionBase` with releases: only its
# verbose names change (no change to the table).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('appointments', '0002_roles'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='appointmentrevision',
            name='author',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='author'),
        ),
        migrations.AlterField(
            model_name='appointmentrevision',
            name='restored_from',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='restored from version'),
        ),
    ]
