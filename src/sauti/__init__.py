"""Sauti: self-hostable chat for impact on WhatsApp."""

__version__ = "0.1.0"
