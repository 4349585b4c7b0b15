"""Provides the command handlers behind the command line (front end: may import rich and questionary)."""
