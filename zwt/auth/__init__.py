"""Accounts, roles and tokens."""
