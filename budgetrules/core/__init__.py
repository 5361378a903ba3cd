"""Foundations every layer may use, which use nothing of ours: exact money, the error model,
the records a run produces (contributions, findings…) and the ledger that holds them."""
