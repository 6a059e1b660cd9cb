"""kvale benchmarks: `make bench` (python -m bench [name ...]) prints tables."""
