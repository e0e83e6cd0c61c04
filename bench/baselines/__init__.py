"""Servers the hub is measured against: the same S1 work without the hub's machinery."""
