# Placeholder owned by one helper this session; filled in with its operations.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('releases', '0016_translations'),
    ]

    operations = []
