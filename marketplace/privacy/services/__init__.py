"""Services of the personal data rights, one module per right (export, deletion, retention, register)."""
