"""kvale tui package."""
