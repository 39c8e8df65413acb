"""Issuing organisations and their press contacts."""
