"""Department connectors: the contract, the transports, batching and signature checks."""
