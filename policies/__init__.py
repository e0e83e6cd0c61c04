"""Policy: purposes, roles and data categories, decided from plain data."""
