"""Reminders and broadcasts: a message to an audience on a schedule, over WhatsApp, SMS or email."""
