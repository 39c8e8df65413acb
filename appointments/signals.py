"""Signals for apps that follow what happens to appointments (e-mail alerts), so that
`appointments` never imports them.

- `appointment_went_live(sender=Appointment, appointment=...)`: sent once per appointment, by
  the go-live task after it claimed the appointment (`appointments.tasks.run_go_live`).
- `appointment_changed(sender=Appointment, event=...)`: sent after a public change was committed
  (a correction, postponement, move or cancellation); `event` is the `AppointmentEvent`.
"""

from django.dispatch import Signal

appointment_went_live = Signal()
appointment_changed = Signal()
