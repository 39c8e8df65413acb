"""Downloadable publications (reports, brochures) and the series they appear in."""
