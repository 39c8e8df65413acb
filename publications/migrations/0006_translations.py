"""A publication's title and description in other languages (newsroom/translations.py)."""

import django.db.models.deletion
from django.db import migrations, models

import newsroom.translations


class Migration(migrations.Migration):

    dependencies = [
        ('publications', '0005_title_help_without_series_prefix'),
    ]

    operations = [
        migrations.CreateModel(
            name='PublicationTranslation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(max_length=15, validators=[newsroom.translations.validate_translation_language], verbose_name='language')),
                ('title', models.CharField(max_length=250, verbose_name='title')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('publication', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='publications.publication')),
            ],
            options={
                'verbose_name': 'translation',
                'verbose_name_plural': 'translations',
                'constraints': [models.UniqueConstraint(fields=('publication', 'language'), name='publication_translation_once')],
            },
        ),
    ]
