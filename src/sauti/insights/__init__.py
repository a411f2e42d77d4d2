"""Insights: audience, engagement, journeys, inbox and billing figures, kept incrementally."""
