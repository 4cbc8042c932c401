"""What the matching learns from people: decisions as labels, off-topic pairs, the re-ranker."""
