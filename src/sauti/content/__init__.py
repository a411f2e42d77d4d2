"""Content: WhatsApp message templates (authoring, approval status), the media library, canned replies."""
