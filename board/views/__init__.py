"""One module per page or resource; ``base`` holds the shared plumbing."""
