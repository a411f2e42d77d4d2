"""People pages, by family: people.py, segments.py, transfers.py (CSV), fields.py (settings)."""
