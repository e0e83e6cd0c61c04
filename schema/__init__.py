"""GraphQL: the schema composed from connector manifests, and the plan it makes of a query."""
