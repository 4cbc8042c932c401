"""The practices library blueprint ("fiches pratiques"), mounted at /pratiques."""
