"""Homeward: case management for bringing children home and reuniting them with their families."""

__version__ = "0.1.0"
