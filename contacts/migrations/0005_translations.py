"""An office's name and directions in other languages (newsroom/translations.py)."""

import django.db.models.deletion
from django.db import migrations, models

import newsroom.translations


class Migration(migrations.Migration):

    dependencies = [
        ('contacts', '0004_press_offices'),
    ]

    operations = [
        migrations.CreateModel(
            name='OrganisationTranslation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(max_length=15, validators=[newsroom.translations.validate_translation_language], verbose_name='language')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('directions', models.TextField(blank=True, verbose_name='directions')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='contacts.organisation')),
            ],
            options={
                'verbose_name': 'translation',
                'verbose_name_plural': 'translations',
                'constraints': [models.UniqueConstraint(fields=('organisation', 'language'), name='organisation_translation_once')],
            },
        ),
    ]
