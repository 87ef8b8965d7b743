"""The LTI 1.3 protocol: login initiation, launch validation, keys, sessions."""
