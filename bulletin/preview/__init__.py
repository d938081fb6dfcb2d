"""`bulletin preview`: the live page on loopback, its state, and its static page."""
