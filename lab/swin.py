"""Swin-T's first stage (Liu et al. 2021, "Swin Transformer"), where the homework's Ω formulas and the window
reach are evaluated: a 224 px image cut into 4 px patches gives a 56 × 56 token grid, embedded in C = 96 channels,
attended in M × M = 7 × 7 windows."""

SIDE = 56
"""Tokens per side of the first stage's grid."""
CHANNELS = 96
"""C, the first stage's embedding width."""
WINDOW = 7
"""M, the side of a window in tokens."""
