"""The policy engine: categories, purposes, consents, decisions, masks and claims.

It decides from plain data and knows neither GraphQL nor transports, so it can be tested and
reasoned about alone. The rules themselves are the YAML files beside this code, reviewed like it.
"""
