"""The books: reading FEC files (article A47 A-1 of the LPF), mapping accounts to fund lines, and
turning the totals into scenario events."""
