"""The inbox: collections, assignment and routing, labels, notes and mentions, search, live updates."""
