"""Signals for apps that follow what happens to releases (e-mail alerts), so that `releases`
never imports them.

- `release_went_live(sender=Release, release=...)`: sent once per release, by the go-live task
  after it claimed the release (`releases.tasks.run_go_live`), also for scheduled releases.
- `release_changed(sender=Release, event=...)`: sent after a correction or withdrawal was
  committed; `event` is the `ReleaseEvent`, whose `notify_subscribers` says whether the lead
  asked for subscribers to be told.
"""

from django.dispatch import Signal

release_went_live = Signal()
release_changed = Signal()
