"""Channels that carry messages: the WhatsApp Cloud API and its fake, for tests and demos."""
