"""Files in and out: YAML with line numbers, the readers of fund and scenario files (every problem
collected with file:line), the fund-file writer, where the bundled data lives, atomic output."""
