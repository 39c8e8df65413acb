"""Project package: settings, URL wiring and the few pieces the apps share."""
