"""Calls back to the platform and to Learn: access tokens, LTI services, REST."""
