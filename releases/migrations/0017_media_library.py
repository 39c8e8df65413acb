# Empty: a placeholder that installations have applied; the media library is 0018_photos.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('releases', '0016_translations'),
    ]

    operations = []
