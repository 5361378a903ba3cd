"""Commands funds, funds show, funds check."""
