"""The audit log's transparency core: an RFC 9162 Merkle tree, signed C2SP checkpoints, leaves.

Pure and storage-agnostic: the store keeps leaves, perfect-subtree hashes and signed checkpoints;
these modules say what to store, what to fetch for a proof, and how anyone verifies the result.
"""
