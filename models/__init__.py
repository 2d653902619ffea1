"""Model pairs compared by the app: `load_pair(name)` and `PAIRS` (name -> one-line description)."""
from models.pairs import PAIRS, Pair, load_pair

__all__ = ["PAIRS", "Pair", "load_pair"]
