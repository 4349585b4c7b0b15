"""Provides the widgets the screens share."""
