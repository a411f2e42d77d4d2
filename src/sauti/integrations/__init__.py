"""Integrations: signed outbound webhooks and Turn-style context integrations."""
