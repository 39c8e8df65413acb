"""Translations keyed by a language code (newsroom/translations.py): a release's text and its
images' captions, and topic names. The release translations get their own search index in
their language: an FTS5 table on SQLite, a GIN index on the search vector on PostgreSQL."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

import newsroom.richtext
import newsroom.translations

GIN_INDEX = "releases_translation_search_gin"


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        from releases.search import create_translation_fts_table

        create_translation_fts_table(schema_editor)
    elif vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} "
            "ON releases_releasetranslation USING gin (search_vector)"
        )


def drop_index(apps, schema_editor):
    from releases.search import TRANSLATION_FTS_TABLE

    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {TRANSLATION_FTS_TABLE}")
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")


def grant_roles(apps, schema_editor):
    from releases.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):

    dependencies = [
        ('releases', '0015_co_issuers'),
        # The roles also cover the offices' and publications' translations.
        ('contacts', '0005_translations'),
        ('publications', '0006_translations'),
    ]

    operations = [
        migrations.CreateModel(
            name='ReleaseImageTranslation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(max_length=15, validators=[newsroom.translations.validate_translation_language], verbose_name='language')),
                ('caption', models.CharField(blank=True, max_length=300, verbose_name='caption')),
                ('alt_text', models.CharField(blank=True, max_length=300, verbose_name='alternative text')),
                ('image', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='releases.releaseimage')),
            ],
            options={
                'verbose_name': 'image translation',
                'verbose_name_plural': 'image translations',
                'constraints': [models.UniqueConstraint(fields=('image', 'language'), name='image_translation_once')],
            },
        ),
        migrations.CreateModel(
            name='ReleaseTranslation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(max_length=15, validators=[newsroom.translations.validate_translation_language], verbose_name='language')),
                ('title', models.CharField(max_length=250, verbose_name='title')),
                ('lead', models.TextField(help_text='The opening paragraph, in plain text.', verbose_name='lead')),
                ('body', newsroom.richtext.RichTextField(verbose_name='body')),
                ('background', newsroom.richtext.RichTextField(blank=True, verbose_name='background')),
                ('search_vector', django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ('release', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='releases.release')),
            ],
            options={
                'verbose_name': 'translation',
                'verbose_name_plural': 'translations',
                'ordering': ['language'],
                'constraints': [models.UniqueConstraint(fields=('release', 'language'), name='release_translation_once')],
            },
        ),
        migrations.CreateModel(
            name='TopicTranslation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(max_length=15, validators=[newsroom.translations.validate_translation_language], verbose_name='language')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('topic', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='releases.topic')),
            ],
            options={
                'verbose_name': 'translation',
                'verbose_name_plural': 'translations',
                'constraints': [models.UniqueConstraint(fields=('topic', 'language'), name='topic_translation_once')],
            },
        ),
        migrations.RunPython(create_index, drop_index),
        # Officers and leads write translations; leads and portal administrators name offices,
        # publications and topics in English.
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
    ]
