"""The audit log's GraphQL fields: auditors search it and get proofs; citizens see their own."""
