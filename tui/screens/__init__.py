"""The screens of the kvale app."""
