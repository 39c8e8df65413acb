# Joint releases: co-issuers beside the lead issuer.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('releases', '0014_event_withdraw_from_review_and_credit_help'),
        ('contacts', '0004_press_offices'),
    ]

    operations = [
        migrations.AddField(
            model_name='release',
            name='co_issuers',
            field=models.ManyToManyField(blank=True, help_text="For a joint press release: the other issuers. It appears on their pages and in their feeds; the lead issuer's press office approves it.", related_name='co_issued_releases', to='contacts.organisation', verbose_name='co-issuers'),
        ),
    ]
