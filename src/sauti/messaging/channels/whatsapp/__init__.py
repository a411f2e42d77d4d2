"""The WhatsApp Cloud API: webhook verification and parsing, and the outbound client."""
