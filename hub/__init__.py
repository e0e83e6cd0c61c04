"""Wiring: the ASGI app, configuration, authentication, storage, audit and the CLI."""
