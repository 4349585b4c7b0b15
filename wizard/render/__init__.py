"""Provides rich renderables for the wizard's command-line output (front end; may import rich)."""
