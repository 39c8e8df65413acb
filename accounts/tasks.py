"""The daily retirement of unused accounts and pruning of the security trail, as tasks for a
scheduler that runs tasks."""

from django_tasks import task

from .lifecycle import prune_security_trail, retire_unused_accounts


@task()
def deactivate_unused_accounts() -> dict:
    return retire_unused_accounts()


@task()
def prune_old_security_trail() -> dict:
    return prune_security_trail()
