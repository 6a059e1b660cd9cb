"""kvale store package."""
