"""What offers and needs share on the web side: the base form and the blueprint builder."""
