"""pip-setup-wizard: how to install packages with pip without exposing your whole system."""

__version__ = "0.1.0"
