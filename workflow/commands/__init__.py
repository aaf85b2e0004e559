"""Commands: each change of a case in one write transaction with its history event."""
