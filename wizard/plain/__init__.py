"""Provides the plain front end: questionary prompts and rich output (no full-screen app)."""
