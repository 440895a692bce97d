"""collagen-coach: facial massage, planned safely and measured honestly."""
