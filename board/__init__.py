"""The meeting board: read ahead, opinions first, a live floor, structured minutes."""
