"""kvale audio package."""
