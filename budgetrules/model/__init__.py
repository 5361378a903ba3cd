"""The domain model: a COG fund (lines, amounts, rule parameters), the rule catalogue, and a
scenario (assumptions, typed events, expectations). Frozen data, no I/O."""
