"""Provides the full-screen wizard (Textual): the guided flow of SPEC §8 over the core's Session."""
