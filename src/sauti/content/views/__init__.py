"""The Templates area's pages: templates, the media library, canned replies, and their settings."""
