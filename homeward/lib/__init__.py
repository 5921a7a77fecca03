"""Small helpers that never import Django."""
