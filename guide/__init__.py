"""kvale guide package."""
