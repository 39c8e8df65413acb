"""Staff accounts: second factors, password reset, sessions, the security trail, retirement."""
