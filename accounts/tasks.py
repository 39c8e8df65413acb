"""The daily retirement of unused accounts, as a task for a scheduler that runs tasks."""

from django_tasks import task

from .lifecycle import retire_unused_accounts


@task()
def deactivate_unused_accounts() -> dict:
    return retire_unused_accounts()
