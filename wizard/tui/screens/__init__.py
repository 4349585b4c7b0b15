"""Provides the eight screens of the guided flow, one per module, and the dialogs they open."""
