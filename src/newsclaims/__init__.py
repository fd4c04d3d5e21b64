"""newsclaims: who said what, where, and how each outlet reported it."""

__version__ = "0.1.0"
