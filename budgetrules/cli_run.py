"""Commands run, test, explain, virement, audit (filled in by the engine)."""
