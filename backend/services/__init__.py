"""Domain rules, one module per domain. No Flask request objects in here."""
