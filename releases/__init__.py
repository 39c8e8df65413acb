"""Press releases, their topics, workflow state and public pages."""
